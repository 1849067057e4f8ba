using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MultiOrg.Tests.Harness;

/// <summary>
/// Signs hand-written SAML responses with the xmlsec1 command-line tool (Debian's xmlsec1, installed by test.sh): an XML
/// signature implementation other than the framework's SignedXml that MultiOrg verifies with. Holds a throwaway IdP key
/// pair and an attacker's, made here.
/// </summary>
public sealed class XmlSecSigner : IDisposable
{
    public const string Program = "/usr/bin/xmlsec1";
    public const string ExclusiveC14n = "http://www.w3.org/2001/10/xml-exc-c14n#";
    public const string InclusiveC14n = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
    public const string RsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    public const string RsaSha1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
    public const string Sha256 = "http://www.w3.org/2001/04/xmlenc#sha256";
    public const string Sha1 = "http://www.w3.org/2000/09/xmldsig#sha1";

    private readonly string folder = Directory.CreateTempSubdirectory("multiorg-xmlsec-").FullName;

    public XmlSecSigner()
    {
        if (!File.Exists(Program))
        {
            throw new InvalidOperationException($"{Program} is missing: run ./test.sh (it installs xmlsec1) or apt-get install -y xmlsec1.");
        }

        (OwnCertificate, OwnKey) = MakeKeyPair("own");
        (AttackerCertificate, AttackerKey) = MakeKeyPair("attacker");
    }

    /// <summary>The IdP's certificate (base64 DER), the one MultiOrg is given in the metadata.</summary>
    public string OwnCertificate { get; }

    /// <summary>A certificate MultiOrg never sees (base64 DER).</summary>
    public string AttackerCertificate { get; }

    private string OwnKey { get; }

    private string AttackerKey { get; }

    /// <summary>An enveloped-signature template over <paramref name="referenceId"/> for xmlsec1 to fill, optionally with a certificate in KeyInfo.</summary>
    public static string Template(string referenceId, string c14n = ExclusiveC14n, string signatureMethod = RsaSha256, string digestMethod = Sha256, string? keyInfoCertificate = null) =>
        $"""<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="{c14n}"/><ds:SignatureMethod Algorithm="{signatureMethod}"/><ds:Reference URI="#{referenceId}"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="{c14n}"/></ds:Transforms><ds:DigestMethod Algorithm="{digestMethod}"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/>"""
        + (keyInfoCertificate is null ? "" : $"<ds:KeyInfo><ds:X509Data><ds:X509Certificate>{keyInfoCertificate}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>")
        + "</ds:Signature>";

    /// <summary>
    /// Fills the signature templates found by <paramref name="signatureXPaths"/>, in that order (inner first: an outer
    /// signature then covers the inner one's value), with the IdP's key or the attacker's.
    /// </summary>
    public async Task<string> SignAsync(string xml, bool attacker, params string[] signatureXPaths)
    {
        var input = Path.Combine(folder, $"{Guid.NewGuid():N}.xml");
        await File.WriteAllTextAsync(input, xml);
        foreach (var xpath in signatureXPaths)
        {
            var output = input + ".signed";
            var start = new ProcessStartInfo(Program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var argument in (string[])[
                "--sign", "--privkey-pem", attacker ? AttackerKey : OwnKey,
                "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
                "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:protocol:Response",
                "--node-xpath", xpath, "--output", output, input])
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start xmlsec1");
            var errors = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"xmlsec1 could not sign {xpath}: {await errors}");
            }

            File.Move(output, input, overwrite: true);
        }

        var signed = await File.ReadAllTextAsync(input);
        File.Delete(input);
        return signed;
    }

    private (string Certificate, string KeyFile) MakeKeyPair(string name)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN=xmlsec1 IdP {name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        var key = Path.Combine(folder, $"{name}.key");
        File.WriteAllText(key, rsa.ExportPkcs8PrivateKeyPem());
        return (Convert.ToBase64String(certificate.Export(X509ContentType.Cert)), key);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
