using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.SingleSignOn;

/// <summary>SAML settings through the REST API, as on the Security page: OWNER sets up and removes, ADMIN reads.</summary>
public sealed class SamlSettingsApiTests : IAsyncLifetime
{
    private readonly ApiFactory factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private static string IdpMetadata()
    {
        using var rsa = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=API IdP", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return $"""
            <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://idp.api-saml.test/entity">
              <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
                <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{Convert.ToBase64String(certificate.Export(X509ContentType.Cert))}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
                <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.api-saml.test/sso"/>
              </md:IDPSSODescriptor>
            </md:EntityDescriptor>
            """;
    }

    [Fact]
    public async Task An_owner_sets_up_and_removes_saml_through_the_api_and_an_admin_only_reads_it()
    {
        var owner = await factory.RegisterAsync("owner");
        var admin = await factory.RegisterAsync("admin");
        var organizationId = await owner.CreateOrganizationAsync("Acme API SAML");
        await owner.AddMemberAsync(organizationId, admin, "ADMIN");
        // The owner claims the domain of their own address (example.test, as the factory registers people).
        const string domain = "example.test";
        (await owner.Client.PostAsJsonAsync($"/api/organizations/{organizationId}/join-policy/domains", new { domain })).EnsureSuccessStatusCode();
        await using (var db = factory.Database.CreateContext())
        {
            await DnsProofs.MarkProvedAsync(db, organizationId, domain);
        }

        var path = $"/api/organizations/{organizationId}/saml";
        var body = new { metadataXml = IdpMetadata(), domains = new[] { domain }, enabled = true, required = false };

        (await admin.Client.PutAsJsonAsync(path, body)).StatusCode.Should().Be(HttpStatusCode.Forbidden, "only an owner changes single sign-on");
        var refused = await owner.Client.PutAsJsonAsync(path, body with { metadataXml = "<not-xml" });
        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await refused.Content.ReadAsStringAsync()).Should().Contain("metadata");

        var saved = await owner.Client.PutAsJsonAsync(path, body);
        saved.StatusCode.Should().Be(HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        var read = await (await admin.Client.GetAsync(path)).JsonAsync();
        read.GetProperty("idpEntityId").GetString().Should().Be("https://idp.api-saml.test/entity");
        read.GetProperty("acsPath").GetString().Should().Be($"/saml/{organizationId:N}/acs");
        (await (await owner.Client.GetAsync($"/api/organizations/{organizationId}/sso")).JsonAsync()).GetProperty("samlInUse").GetBoolean()
            .Should().BeTrue("the OpenID Connect settings say that saving them replaces SAML");

        (await owner.Client.DeleteAsync(path)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        var removed = await (await owner.Client.GetAsync(path)).JsonAsync();
        (removed.TryGetProperty("idpEntityId", out var idp) ? idp.ValueKind : JsonValueKind.Null).Should().Be(JsonValueKind.Null, "the IdP is forgotten");
    }
}
