using System.Globalization;
using System.IO.Compression;
using System.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MultiOrg.Domain.SingleSignOn;

namespace MultiOrg.Web.Features.SingleSignOn.Saml;

/// <summary>The messages MultiOrg sends as a SAML service provider: its metadata and the HTTP-Redirect AuthnRequest.</summary>
public static class SamlMessages
{
    public const string RsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";

    /// <summary>The SP metadata to give the IdP: entity id, ACS (HTTP-POST), signing certificate, signed requests.</summary>
    public static string SpMetadata(string entityId, string acsUrl, string certificate) =>
        $"""
        <?xml version="1.0" encoding="utf-8"?>
        <md:EntityDescriptor xmlns:md="{SamlMetadata.MetadataNs}" xmlns:ds="{SamlMetadata.DsigNs}" entityID="{Escape(entityId)}">
          <md:SPSSODescriptor AuthnRequestsSigned="true" WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
            <md:KeyDescriptor use="signing">
              <ds:KeyInfo><ds:X509Data><ds:X509Certificate>{certificate}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
            </md:KeyDescriptor>
            <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
            <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
            <md:AssertionConsumerService Binding="{SamlMetadata.PostBinding}" Location="{Escape(acsUrl)}" index="0" isDefault="true"/>
          </md:SPSSODescriptor>
        </md:EntityDescriptor>
        """;

    /// <summary>A new request id: an XML ID (starts with a letter), 160 random bits.</summary>
    public static string NewRequestId() => "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    /// <summary>
    /// What starts the id of a request made by "Connect" on the account page (never a hexadecimal digit, so no other
    /// request's id): the assertion consumer then hands the answer to the account's session instead of signing in.
    /// </summary>
    public const string ConnectRequestPrefix = "_link";

    public static string NewConnectRequestId() => ConnectRequestPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    /// <summary>
    /// The IdP's sign-on address with the AuthnRequest (deflated, base64), signed with MultiOrg's key per the HTTP-Redirect
    /// binding (RSA-SHA256 over the query), and the login hint Entra ID and Okta read.
    /// </summary>
    public static string RedirectUrl(SamlClient saml, string requestId, string spEntityId, string acsUrl, DateTime now, string? loginHint, string? relayState)
    {
        ArgumentNullException.ThrowIfNull(saml);
        var request =
            $"""<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{requestId}" Version="2.0" IssueInstant="{now.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}" Destination="{Escape(saml.Provider.IdpSsoUrl)}" AssertionConsumerServiceURL="{Escape(acsUrl)}" ProtocolBinding="{SamlMetadata.PostBinding}"><saml:Issuer>{Escape(spEntityId)}</saml:Issuer><samlp:NameIDPolicy AllowCreate="true"/></samlp:AuthnRequest>""";
        using var buffer = new MemoryStream();
        using (var deflate = new DeflateStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(Encoding.UTF8.GetBytes(request));
        }

        var query = $"SAMLRequest={Uri.EscapeDataString(Convert.ToBase64String(buffer.ToArray()))}"
            + (relayState is null ? "" : $"&RelayState={Uri.EscapeDataString(relayState)}")
            + $"&SigAlg={Uri.EscapeDataString(RsaSha256)}";
        using var certificate = X509CertificateLoader.LoadPkcs12(saml.SpKeyPkcs12, password: null);
        using var key = certificate.GetRSAPrivateKey()!;
        var signature = key.SignData(Encoding.UTF8.GetBytes(query), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        query += $"&Signature={Uri.EscapeDataString(Convert.ToBase64String(signature))}";
        if (!string.IsNullOrWhiteSpace(loginHint))
        {
            query += $"&login_hint={Uri.EscapeDataString(loginHint.Trim())}";
        }

        return saml.Provider.IdpSsoUrl + (saml.Provider.IdpSsoUrl.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query;
    }

    private static string Escape(string value) => SecurityElement.Escape(value);
}
