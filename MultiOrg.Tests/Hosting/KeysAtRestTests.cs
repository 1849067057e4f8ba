using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Hosting;

/// <summary>With <c>DataProtection:Certificate</c> configured, the key ring in the database is encrypted, and every server with the certificate reads it.</summary>
public sealed class KeysAtRestTests : IDisposable
{
    private const string KeyManager = "Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager";

    private readonly TestCertificate certificate = new();

    public void Dispose() => certificate.Dispose();

    private Dictionary<string, string> WithCertificate(string? connectionString = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["DataProtection:Certificate:Path"] = certificate.Path,
            ["DataProtection:Certificate:Password"] = TestCertificate.DefaultPassword,
        };
        if (connectionString is not null)
        {
            settings["ConnectionStrings:MultiOrg"] = connectionString;
        }

        return settings;
    }

    private static ApiFactory Logged(Dictionary<string, string>? settings) =>
        new(settings) { ExtraServices = services => services.AddLogging(logging => logging.AddFakeLogging()) };

    private static async Task<HttpStatusCode> MeAsync(ApiFactory server, ApiUser user)
    {
        using var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.Client.DefaultRequestHeaders.Authorization!.Parameter);
        return (await client.GetAsync("/api/auth/me")).StatusCode;
    }

    [Fact]
    public async Task With_a_certificate_the_stored_keys_are_encrypted_and_a_second_server_with_it_reads_the_first_ones_tokens()
    {
        using var first = Logged(WithCertificate());
        var user = await first.RegisterAsync("encrypted");
        using var second = new ApiFactory(WithCertificate(first.Database.ConnectionString));
        using var withoutCertificate = new ApiFactory(new Dictionary<string, string> { ["ConnectionStrings:MultiOrg"] = first.Database.ConnectionString });

        await using (var db = first.Database.CreateContext())
        {
            var keys = await db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync();
            keys.Should().NotBeEmpty();
            keys.Should().AllSatisfy(xml =>
            {
                xml.Should().Contain("<encryptedSecret").And.Contain("EncryptedXmlDecryptor").And.Contain(certificate.PublicPart, "the key names the certificate it was encrypted with");
                xml.Should().NotContain("<value>", "the master key is never stored in the clear");
            });
        }

        (await MeAsync(second, user)).Should().Be(HttpStatusCode.OK, "a server with the same certificate decrypts the key ring and reads the first server's token");
        (await MeAsync(withoutCertificate, user)).Should().Be(HttpStatusCode.Unauthorized, "without the certificate the stored keys cannot be read");
        first.Services.GetFakeLogCollector().GetSnapshot().Should().NotContain(r => r.Category == KeyManager && r.Level == LogLevel.Warning,
            "the framework's 'unencrypted key' warning is for servers without a certificate");
    }

    [Fact]
    public async Task Without_a_certificate_the_start_up_warning_about_unencrypted_keys_remains()
    {
        using var server = Logged(null);

        await server.RegisterAsync("plain");

        server.Services.GetFakeLogCollector().GetSnapshot().Should().Contain(r => r.Category == KeyManager && r.Level == LogLevel.Warning
            && r.Message.Contains("unencrypted", StringComparison.OrdinalIgnoreCase));
    }
}
