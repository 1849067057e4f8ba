using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using MultiOrg.Domain.SingleSignOn;

namespace MultiOrg.Web.Features.SingleSignOn.Saml;

/// <summary>Why a SAML response was refused; the error page explains each one. Nothing of the response was kept.</summary>
public sealed class SamlRejectedException(string reason, string detail) : Exception(detail)
{
    public string Reason { get; } = reason;
}

/// <summary>What a verified assertion vouches for.</summary>
public sealed record SamlAssertion(string Issuer, string NameId, string? Email, string? Name, string AssertionId, string? InResponseTo, DateTime NotOnOrAfter);

/// <summary>What a response must match: the organization's IdP, MultiOrg's addresses for it, and the time.</summary>
public sealed record SamlExpectation(string IdpEntityId, IReadOnlyList<X509Certificate2> IdpCertificates, string SpEntityId, string AcsUrl, DateTime Now);

/// <summary>
/// Reads an HTTP-POST SAML response defensively, with no SAML library: DTDs refused; every ID in the document unique (so a
/// signature's reference resolves to one element only); exactly one Assertion anywhere in the document, a child of the
/// Response; the signature over that very Assertion (or over the Response that holds it), checked only against the
/// configured certificates, exclusive or inclusive canonicalization without comments and RSA-SHA256 or stronger only; issuer, destination, recipient,
/// audience and validity window checked; text read only from elements holding nothing but text (no comment tricks).
/// </summary>
public static class SamlResponseReader
{
    public const string ProtocolNs = "urn:oasis:names:tc:SAML:2.0:protocol";
    public const string AssertionNs = "urn:oasis:names:tc:SAML:2.0:assertion";
    public const int MaxEncodedLength = 512 * 1024;
    public static readonly TimeSpan Skew = TimeSpan.FromMinutes(2);

    private const string ExclusiveC14n = "http://www.w3.org/2001/10/xml-exc-c14n#";

    // SAML asks for exclusive c14n (SHOULD), yet inclusive is legitimate and some IdPs sign with it; both without comments,
    // and comments are refused in the text we read anyway.
    private const string InclusiveC14n = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
    private const string EnvelopedSignature = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
    private const string TransientFormat = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";
    private const string EmailFormat = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";

    private static readonly HashSet<string> SignatureMethods = new(StringComparer.Ordinal)
    {
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
    };

    private static readonly HashSet<string> DigestMethods = new(StringComparer.Ordinal)
    {
        "http://www.w3.org/2001/04/xmlenc#sha256",
        "http://www.w3.org/2001/04/xmldsig-more#sha384",
        "http://www.w3.org/2001/04/xmlenc#sha512",
    };

    /// <summary>The names IdPs commonly send the email address and the display name under (Entra ID, AD FS, Okta, LDAP OIDs).</summary>
    public static readonly string[] EmailAttributes =
    [
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", "urn:oid:0.9.2342.19200300.100.1.3",
        "urn:mace:dir:attribute-def:mail", "email", "mail", "emailaddress", "Email",
    ];

    public static readonly string[] NameAttributes =
    [
        "http://schemas.microsoft.com/identity/claims/displayname", "urn:oid:2.16.840.1.113730.3.1.241", "urn:mace:dir:attribute-def:displayName",
        "displayName", "name", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
    ];

    public static SamlAssertion Read(string? encoded, SamlExpectation expected, string? emailAttribute = null, string? nameAttribute = null)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var document = Parse(encoded);
        var response = document.DocumentElement!;
        if (response.LocalName != "Response" || response.NamespaceURI != ProtocolNs || response.GetAttribute("Version") != "2.0")
        {
            throw Rejected(SamlErrors.Invalid, "the message is not a SAML 2.0 Response");
        }

        RequireUniqueIds(document);
        var status = One(response, ProtocolNs, "Status");
        var statusCode = status is null ? null : One(status, ProtocolNs, "StatusCode")?.GetAttribute("Value");
        if (statusCode != "urn:oasis:names:tc:SAML:2.0:status:Success")
        {
            throw Rejected(SamlErrors.IdpRefused, $"the IdP answered {statusCode ?? "no status"}");
        }

        if (document.GetElementsByTagName("EncryptedAssertion", AssertionNs).Count > 0)
        {
            throw Rejected(SamlErrors.Encrypted, "the assertion is encrypted; MultiOrg reads only signed, unencrypted assertions (the transport is https)");
        }

        // Exactly one Assertion in the whole message, where it belongs: a second one (signed or not) anywhere — beside it,
        // in Extensions, in Advice — is how signature wrapping hides the assertion that is read from the one that is signed.
        var everywhere = document.GetElementsByTagName("Assertion", AssertionNs).Cast<XmlElement>().ToList();
        var assertion = One(response, AssertionNs, "Assertion");
        if (everywhere.Count != 1 || assertion is null || !ReferenceEquals(everywhere[0], assertion))
        {
            throw Rejected(SamlErrors.Invalid, $"the response holds {everywhere.Count} assertions; exactly one, directly in the Response, is accepted");
        }

        var assertionSignature = Children(assertion, SignedXml.XmlDsigNamespaceUrl, "Signature").ToList();
        var responseSignature = Children(response, SignedXml.XmlDsigNamespaceUrl, "Signature").ToList();
        if (assertionSignature.Count > 1 || responseSignature.Count > 1)
        {
            throw Rejected(SamlErrors.Invalid, "more than one signature on one element");
        }

        if (assertionSignature.Count == 0 && responseSignature.Count == 0)
        {
            throw Rejected(SamlErrors.Unsigned, "neither the assertion nor the response is signed");
        }

        if (assertionSignature.Count == 1)
        {
            Verify(assertion, assertionSignature[0], expected.IdpCertificates);
        }

        if (responseSignature.Count == 1)
        {
            Verify(response, responseSignature[0], expected.IdpCertificates);
        }

        var destination = response.GetAttribute("Destination");
        if (destination != expected.AcsUrl)
        {
            throw Rejected(SamlErrors.Destination, $"the response is addressed to “{destination}”, not to this organization's ACS address");
        }

        if (One(response, AssertionNs, "Issuer") is { } responseIssuer && Text(responseIssuer) != expected.IdpEntityId)
        {
            throw Rejected(SamlErrors.Invalid, "the response's issuer is not the organization's IdP");
        }

        var issuer = One(assertion, AssertionNs, "Issuer");
        if (issuer is null || Text(issuer) != expected.IdpEntityId)
        {
            throw Rejected(SamlErrors.Invalid, "the assertion's issuer is not the organization's IdP");
        }

        var inResponseTo = NullIfEmpty(response.GetAttribute("InResponseTo"));
        var (nameId, confirmedUntil) = ReadSubject(assertion, expected, inResponseTo);
        var notOnOrAfter = ReadConditions(assertion, expected);
        var attributes = ReadAttributes(assertion);
        var email = Pick(attributes, emailAttribute, EmailAttributes)
            ?? (nameId.Format == EmailFormat || nameId.Value.Contains('@', StringComparison.Ordinal) ? nameId.Value : null);
        var name = Pick(attributes, nameAttribute, NameAttributes);
        var assertionId = assertion.GetAttribute("ID");
        if (assertionId.Length == 0)
        {
            throw Rejected(SamlErrors.Invalid, "the assertion has no ID");
        }

        return new SamlAssertion(expected.IdpEntityId, nameId.Value, email, name, assertionId, inResponseTo, Min(notOnOrAfter, confirmedUntil));
    }

    private static XmlDocument Parse(string? encoded)
    {
        if (string.IsNullOrWhiteSpace(encoded) || encoded.Length > MaxEncodedLength)
        {
            throw Rejected(SamlErrors.Invalid, "no SAMLResponse, or one too large");
        }

        try
        {
            return SamlMetadata.Load(Encoding.UTF8.GetString(Convert.FromBase64String(encoded)));
        }
        catch (Exception e) when (e is FormatException or XmlException or DecoderFallbackException)
        {
            throw Rejected(SamlErrors.Invalid, $"the SAMLResponse is not base64-encoded XML without a DTD ({e.GetType().Name})");
        }
    }

    /// <summary>The signature resolves its reference by ID: with every ID unique, the element it covers is the one we read.</summary>
    private static void RequireUniqueIds(XmlDocument document)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (XmlElement element in document.SelectNodes("//*")!)
        {
            foreach (var name in (string[])["ID", "Id", "id"])
            {
                if (element.HasAttribute(name) && !seen.Add(element.GetAttribute(name)))
                {
                    throw Rejected(SamlErrors.Invalid, "two elements carry the same ID");
                }
            }
        }
    }

    private static void Verify(XmlElement signed, XmlElement signature, IReadOnlyList<X509Certificate2> certificates)
    {
        var id = signed.GetAttribute("ID");
        var xml = new SignedXml(signed);
        try
        {
            xml.LoadXml(signature);
        }
        catch (CryptographicException)
        {
            throw Rejected(SamlErrors.BadSignature, "the signature is not readable");
        }

        if (xml.SignedInfo is not { } info || info.References.Count != 1 || info.References[0] is not Reference reference
            || id.Length == 0 || reference.Uri != "#" + id)
        {
            throw Rejected(SamlErrors.BadSignature, $"the signature does not cover the {signed.LocalName} it sits in (exactly one reference, to its ID)");
        }

        if (info.CanonicalizationMethod is not (ExclusiveC14n or InclusiveC14n) || !SignatureMethods.Contains(info.SignatureMethod ?? "") || !DigestMethods.Contains(reference.DigestMethod ?? ""))
        {
            throw Rejected(SamlErrors.BadSignature, $"algorithms not accepted ({info.CanonicalizationMethod}, {info.SignatureMethod}, {reference.DigestMethod}); exclusive or inclusive c14n and RSA-SHA256 or stronger only");
        }

        foreach (Transform transform in reference.TransformChain)
        {
            if (transform.Algorithm is not (EnvelopedSignature or ExclusiveC14n or InclusiveC14n))
            {
                throw Rejected(SamlErrors.BadSignature, $"transform {transform.Algorithm} not accepted");
            }
        }

        // The configured certificates only: a certificate in the message's KeyInfo proves nothing.
        foreach (var certificate in certificates)
        {
            using var key = certificate.GetRSAPublicKey();
            if (key is not null && xml.CheckSignature(key))
            {
                return;
            }
        }

        throw Rejected(SamlErrors.BadSignature, "the signature does not verify with the IdP's configured certificate");
    }

    private static ((string Value, string? Format) NameId, DateTime ConfirmedUntil) ReadSubject(XmlElement assertion, SamlExpectation expected, string? inResponseTo)
    {
        var subject = One(assertion, AssertionNs, "Subject") ?? throw Rejected(SamlErrors.Invalid, "the assertion has no Subject");
        var nameId = One(subject, AssertionNs, "NameID") ?? throw Rejected(SamlErrors.Invalid, "the assertion has no NameID");
        var format = NullIfEmpty(nameId.GetAttribute("Format"));
        var value = Text(nameId);
        if (value.Length == 0 || format == TransientFormat)
        {
            throw Rejected(SamlErrors.NameId, "the NameID is empty or transient; MultiOrg needs a persistent NameID (or the email address)");
        }

        // A bearer confirmation addressed to this ACS, still valid, answering the same request as the response.
        foreach (var confirmation in Children(subject, AssertionNs, "SubjectConfirmation"))
        {
            var data = One(confirmation, AssertionNs, "SubjectConfirmationData");
            if (confirmation.GetAttribute("Method") != "urn:oasis:names:tc:SAML:2.0:cm:bearer" || data is null)
            {
                continue;
            }

            if (data.GetAttribute("Recipient") != expected.AcsUrl)
            {
                throw Rejected(SamlErrors.Destination, "the assertion's Recipient is not this organization's ACS address");
            }

            if (NullIfEmpty(data.GetAttribute("InResponseTo")) != inResponseTo)
            {
                throw Rejected(SamlErrors.Invalid, "the assertion answers another request than the response");
            }

            var until = Instant(data, "NotOnOrAfter") ?? throw Rejected(SamlErrors.Invalid, "the subject confirmation has no NotOnOrAfter");
            if (expected.Now >= until + Skew || (Instant(data, "NotBefore") is { } from && expected.Now + Skew < from))
            {
                throw Rejected(SamlErrors.Expired, $"the subject confirmation was valid until {until:u}; it is {expected.Now:u}");
            }

            return ((value, format), until);
        }

        throw Rejected(SamlErrors.Invalid, "the assertion has no bearer subject confirmation");
    }

    private static DateTime ReadConditions(XmlElement assertion, SamlExpectation expected)
    {
        var conditions = One(assertion, AssertionNs, "Conditions") ?? throw Rejected(SamlErrors.Invalid, "the assertion has no Conditions");
        var notBefore = Instant(conditions, "NotBefore");
        var notOnOrAfter = Instant(conditions, "NotOnOrAfter") ?? throw Rejected(SamlErrors.Invalid, "the assertion has no NotOnOrAfter");
        if (expected.Now >= notOnOrAfter + Skew || (notBefore is { } from && expected.Now + Skew < from))
        {
            throw Rejected(SamlErrors.Expired, $"the assertion is valid from {notBefore:u} until {notOnOrAfter:u}; it is {expected.Now:u}");
        }

        var restrictions = Children(conditions, AssertionNs, "AudienceRestriction").ToList();
        if (restrictions.Count == 0 || restrictions.Any(r => !Children(r, AssertionNs, "Audience").Any(a => Text(a) == expected.SpEntityId)))
        {
            throw Rejected(SamlErrors.Audience, "the assertion is meant for another service provider (its Audience is not this organization's entity id)");
        }

        return notOnOrAfter;
    }

    private static Dictionary<string, string> ReadAttributes(XmlElement assertion)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var statement in Children(assertion, AssertionNs, "AttributeStatement"))
        {
            foreach (var attribute in Children(statement, AssertionNs, "Attribute"))
            {
                var value = Children(attribute, AssertionNs, "AttributeValue").Select(Text).FirstOrDefault(v => v.Length > 0);
                if (value is null)
                {
                    continue;
                }

                foreach (var name in (string[])[attribute.GetAttribute("Name"), attribute.GetAttribute("FriendlyName")])
                {
                    if (name.Length > 0)
                    {
                        values.TryAdd(name, value);
                    }
                }
            }
        }

        return values;
    }

    private static string? Pick(Dictionary<string, string> attributes, string? configured, string[] usual) =>
        configured is not null ? attributes.GetValueOrDefault(configured) : usual.Select(attributes.GetValueOrDefault).FirstOrDefault(v => v is not null);

    /// <summary>The element's only child of that name, or null; two are refused (the one read might not be the one signed).</summary>
    private static XmlElement? One(XmlElement parent, string ns, string name)
    {
        var found = Children(parent, ns, name).Take(2).ToList();
        return found.Count > 1 ? throw Rejected(SamlErrors.Invalid, $"the {parent.LocalName} holds more than one {name}") : found.SingleOrDefault();
    }

    private static IEnumerable<XmlElement> Children(XmlElement parent, string ns, string name) =>
        parent.ChildNodes.OfType<XmlElement>().Where(e => e.LocalName == name && e.NamespaceURI == ns);

    /// <summary>An element's text, refused when it holds anything else (a comment splits a NameID into two text nodes).</summary>
    private static string Text(XmlElement element)
    {
        if (element.ChildNodes.Cast<XmlNode>().Any(n => n.NodeType is not (XmlNodeType.Text or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace))
            || element.ChildNodes.OfType<XmlText>().Count() > 1)
        {
            throw Rejected(SamlErrors.Invalid, $"the {element.LocalName} holds more than text (a comment or an element)");
        }

        return element.InnerText.Trim();
    }

    private static DateTime? Instant(XmlElement element, string attribute)
    {
        var text = element.GetAttribute(attribute);
        if (text.Length == 0)
        {
            return null;
        }

        return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var instant)
            ? instant
            : throw Rejected(SamlErrors.Invalid, $"{element.LocalName}/@{attribute} is not a time");
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    private static SamlRejectedException Rejected(string reason, string detail) => new(reason, detail);
}
