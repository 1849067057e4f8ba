using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace MultiOrg.Tests.Harness;

/// <summary>
/// A real SAML 2.0 identity provider for the tests: Harness/saml_idp.py on Debian's python3-pysaml2 (test.sh installs it),
/// on a free loopback port, signing with a throwaway key pair made here (and a second one MultiOrg is never given).
/// </summary>
public sealed partial class SamlIdp : IAsyncDisposable
{
    public const string Python = "/usr/bin/python3";

    private readonly Process process;
    private readonly string folder;
    private int disposed;

    private SamlIdp(Process process, string folder, string baseUrl)
    {
        this.process = process;
        this.folder = folder;
        BaseUrl = baseUrl;
    }

    /// <summary>For example http://127.0.0.1:41234 (no trailing slash).</summary>
    public string BaseUrl { get; }

    public string MetadataUrl => $"{BaseUrl}/metadata";

    public static async Task<SamlIdp> StartAsync()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Harness", "saml_idp.py");
        if (!File.Exists(Python) || !File.Exists("/usr/lib/python3/dist-packages/saml2/server.py"))
        {
            throw new InvalidOperationException($"{Python} with pysaml2 is missing: run ./test.sh (it installs python3-pysaml2) or apt-get install -y python3-pysaml2.");
        }

        var folder = Directory.CreateTempSubdirectory("multiorg-saml-idp-").FullName;
        var files = new List<string>();
        foreach (var name in new[] { "own", "other" })
        {
            using var rsa = RSA.Create(2048);
            var request = new CertificateRequest($"CN=Test IdP {name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
            var cert = Path.Combine(folder, $"{name}.crt");
            var key = Path.Combine(folder, $"{name}.key");
            await File.WriteAllTextAsync(cert, certificate.ExportCertificatePem());
            await File.WriteAllTextAsync(key, rsa.ExportPkcs8PrivateKeyPem());
            files.AddRange([cert, key]);
        }

        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        files.ForEach(start.ArgumentList.Add);
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the SAML IdP");
        var errors = process.StandardError.ReadToEndAsync();

        // The script prints its port once it listens; a failed start ends the output instead.
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (line is null || !line.StartsWith("listening ", StringComparison.Ordinal))
        {
            await process.WaitForExitAsync();
            throw new InvalidOperationException($"The SAML IdP did not start: {line} {await errors}");
        }

        _ = process.StandardOutput.ReadToEndAsync();
        return new SamlIdp(process, folder, $"http://127.0.0.1:{line["listening ".Length..].Trim()}");
    }

    public async Task<string> MetadataAsync()
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(MetadataUrl);
    }

    /// <summary>The SAMLResponse and RelayState of the auto-posting form the IdP answered with, and where it posts.</summary>
    public static (string Action, string SamlResponse, string RelayState) ReadPostForm(string html)
    {
        var action = FormAction().Match(html);
        var response = Field("SAMLResponse").Match(html);
        if (!action.Success || !response.Success)
        {
            throw new InvalidOperationException($"The IdP did not answer with a SAML POST form: {html[..Math.Min(html.Length, 500)]}");
        }

        var relay = Field("RelayState").Match(html);
        return (WebUtility.HtmlDecode(action.Groups[1].Value), WebUtility.HtmlDecode(response.Groups[1].Value), relay.Success ? WebUtility.HtmlDecode(relay.Groups[1].Value) : "");
    }

    private static Regex Field(string name) => new($"name=\"{name}\"\\s+value=\"([^\"]*)\"", RegexOptions.None, TimeSpan.FromSeconds(1));

    [GeneratedRegex("<form action=\"([^\"]*)\" method=\"post\"")]
    private static partial Regex FormAction();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        Directory.Delete(folder, recursive: true);
    }
}

/// <summary>One IdP for a test class: it keeps no state between responses, so the tests of a class can share it.</summary>
public sealed class SamlIdpFixture : IAsyncLifetime
{
    public SamlIdp Idp { get; private set; } = null!;

    public async Task InitializeAsync() => Idp = await SamlIdp.StartAsync();

    public async Task DisposeAsync() => await Idp.DisposeAsync();
}
