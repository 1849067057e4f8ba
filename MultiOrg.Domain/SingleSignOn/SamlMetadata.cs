using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml;
using MultiOrg.Domain.Errors;

namespace MultiOrg.Domain.SingleSignOn;

/// <summary>What MultiOrg keeps of an IdP's metadata: its entity id, its HTTP-Redirect sign-on address, its signing certificates.</summary>
public sealed record SamlIdpMetadata(string EntityId, string SsoUrl, IReadOnlyList<string> Certificates);

/// <summary>Reads SAML 2.0 metadata (the XML Entra ID, Okta, AD FS and others offer for download) without DTDs or external entities.</summary>
public static class SamlMetadata
{
    public const string MetadataNs = "urn:oasis:names:tc:SAML:2.0:metadata";
    public const string DsigNs = "http://www.w3.org/2000/09/xmldsig#";
    public const string RedirectBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
    public const string PostBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
    public const int MaxLength = 512 * 1024;

    /// <summary>A parser that refuses DTDs and never resolves anything outside the document (no XXE, no entity expansion).</summary>
    public static XmlDocument Load(string xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersFromEntities = 0,
            MaxCharactersInDocument = MaxLength * 2,
            IgnoreProcessingInstructions = true,
        };
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        using var reader = XmlReader.Create(new StringReader(xml), settings);
        document.Load(reader);
        return document;
    }

    public static SamlIdpMetadata Parse(string? xml)
    {
        var text = xml?.Trim() ?? "";
        if (text.Length == 0 || text.Length > MaxLength)
        {
            throw DomainException.Invalid("metadata", "Upload the identity provider's SAML metadata (an XML file of at most 512 KB), or give its address.");
        }

        XmlDocument document;
        try
        {
            document = Load(text);
        }
        catch (XmlException e)
        {
            throw DomainException.Invalid("metadata", $"The metadata is not readable XML (line {e.LineNumber}): {e.Message}");
        }

        var namespaces = new XmlNamespaceManager(document.NameTable);
        namespaces.AddNamespace("md", MetadataNs);
        namespaces.AddNamespace("ds", DsigNs);
        var idps = document.SelectNodes("//md:EntityDescriptor[md:IDPSSODescriptor]", namespaces)!.Cast<XmlElement>().ToList();
        if (idps.Count != 1)
        {
            throw DomainException.Invalid("metadata", idps.Count == 0
                ? "The metadata describes no identity provider (no IDPSSODescriptor). Download the IdP's (federation) metadata, not the service provider's."
                : "The metadata describes several identity providers; upload the one of your organization only.");
        }

        var entity = idps[0];
        var entityId = entity.GetAttribute("entityID").Trim();
        if (entityId.Length is 0 or > SamlProvider.EntityIdMaxLength)
        {
            throw DomainException.Invalid("metadata", "The identity provider in the metadata has no entityID.");
        }

        var descriptor = (XmlElement)entity.SelectSingleNode("md:IDPSSODescriptor", namespaces)!;
        var sso = descriptor.SelectSingleNode($"md:SingleSignOnService[@Binding='{RedirectBinding}']/@Location", namespaces)?.Value?.Trim();
        if (sso is null || !Uri.TryCreate(sso, UriKind.Absolute, out var ssoUri) || (ssoUri.Scheme != Uri.UriSchemeHttps && ssoUri.Scheme != Uri.UriSchemeHttp)
            || sso.Length > SamlProvider.UrlMaxLength)
        {
            throw DomainException.Invalid("metadata", "The identity provider offers no HTTP-Redirect single sign-on address (SingleSignOnService with the HTTP-Redirect binding).");
        }

        var certificates = descriptor.SelectNodes("md:KeyDescriptor[not(@use) or @use='signing']/ds:KeyInfo/ds:X509Data/ds:X509Certificate", namespaces)!
            .Cast<XmlNode>().Select(n => string.Concat(n.InnerText.Where(c => !char.IsWhiteSpace(c)))).Distinct().ToList();
        if (certificates.Count == 0)
        {
            throw DomainException.Invalid("metadata", "The metadata holds no signing certificate of the identity provider.");
        }

        foreach (var certificate in certificates)
        {
            try
            {
                using var parsed = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(certificate));
                using var rsa = parsed.GetRSAPublicKey();
                if (rsa is null || rsa.KeySize < 2048)
                {
                    throw DomainException.Invalid("metadata", "The identity provider's signing certificate must hold an RSA key of at least 2048 bits.");
                }
            }
            catch (Exception e) when (e is FormatException or CryptographicException)
            {
                throw DomainException.Invalid("metadata", "A signing certificate in the metadata is not a readable X.509 certificate.");
            }
        }

        if (string.Join(' ', certificates).Length > SamlProvider.CertificateMaxLength)
        {
            throw DomainException.Invalid("metadata", "The metadata holds too many signing certificates (keep the current one and the next).");
        }

        return new SamlIdpMetadata(entityId, sso, certificates);
    }
}
