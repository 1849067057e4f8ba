using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MultiOrg.Tests.Harness;

/// <summary>A self-signed certificate with its private key in a password-protected .pfx file, as an operator would supply one.</summary>
public sealed class TestCertificate : IDisposable
{
    public const string DefaultPassword = "pfx-Passw0rd";

    public TestCertificate(string subject = "CN=MultiOrg Data Protection (test)")
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        PublicPart = Convert.ToBase64String(certificate.RawData);
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"multiorg-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(Path, certificate.Export(X509ContentType.Pfx, DefaultPassword));
    }

    public string Path { get; }

    /// <summary>The certificate without its key, base64 (as XML encryption embeds it).</summary>
    public string PublicPart { get; }

    public void Dispose() => File.Delete(Path);
}
