using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace MultiOrg.Web.Hosting;

/// <summary>The <c>DataProtection</c> section: the certificate that encrypts the Data Protection keys at rest.</summary>
public sealed class DataProtectionSettings
{
    public const string Section = "DataProtection";

    public DataProtectionCertificate Certificate { get; set; } = new();
}

public sealed class DataProtectionCertificate : IValidatableObject
{
    [Description("a PKCS#12 file (`.pfx`) with a private key, the same on every server: the Data Protection keys in the database are encrypted with it; unset: stored unencrypted (the framework warns at start)")]
    public string? Path { get; set; }

    [Description("the `.pfx` file's password (a secret: the environment or user secrets)")]
    public string? Password { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            yield break;
        }

        string? problem = null;
        if (!File.Exists(Path))
        {
            problem = "must name a readable .pfx file";
        }
        else
        {
            try
            {
                using var certificate = Load();
                if (!certificate.HasPrivateKey)
                {
                    problem = "must name a certificate with its private key (a .pfx file), which decrypts the keys";
                }
            }
            catch (CryptographicException)
            {
                problem = "could not be opened: a .pfx file and DataProtection:Certificate:Password, its password, are expected";
            }
        }

        if (problem is not null)
        {
            yield return new ValidationResult(problem, [nameof(Path)]);
        }
    }

    public X509Certificate2 Load() => X509CertificateLoader.LoadPkcs12FromFile(Path!, Password, X509KeyStorageFlags.EphemeralKeySet);
}

/// <summary>
/// Data Protection keys live in the database (shared by every server, kept over restarts); with a certificate configured
/// they are encrypted with it before they are stored, and every server that has the same certificate reads them.
/// </summary>
public static class DataProtectionSetup
{
    public static IServiceCollection AddMultiOrgDataProtection(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = services.ReadSettings<DataProtectionSettings>(configuration, DataProtectionSettings.Section);
        var protection = services.AddDataProtection()
            .SetApplicationName("MultiOrg")
            .PersistKeysToDbContext<MultiOrg.Data.MultiOrgDbContext>();
        if (!string.IsNullOrWhiteSpace(settings.Certificate.Path))
        {
            var certificate = settings.Certificate.Load();

            // Decryption is given the certificate itself: Linux has no machine store for the framework to look it up in.
            protection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }

        return services;
    }
}
