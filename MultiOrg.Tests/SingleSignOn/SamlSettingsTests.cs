using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using MultiOrg.Data;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Joining;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Security;
using MultiOrg.Domain.SingleSignOn;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Tests.Harness;
using MultiOrg.Web.Features.SingleSignOn;

namespace MultiOrg.Tests.SingleSignOn;

/// <summary>An organization's SAML settings: who may change them, what metadata is accepted, and one provider per organization.</summary>
public sealed class SamlSettingsTests : IDisposable
{
    private const string Domain = "acme-saml.example";

    private readonly TestWorld world = new();
    private readonly ISsoSecretProtector protector = new DataProtectionSsoSecretProtector(new EphemeralDataProtectionProvider());

    public void Dispose() => world.Dispose();

    private SamlSettingsService Saml(Actor actor) => actor.Create<SamlSettingsService>(protector, TimeProvider.System);

    private SamlLookup Lookup() => world.Unscoped<SamlLookup>(protector, TimeProvider.System);

    private static string IdpMetadata(string entityId = "https://idp.acme.example/saml", string? doctype = null)
    {
        using var rsa = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=Acme IdP", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return $"""
            <?xml version="1.0"?>{doctype}
            <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{entityId}">
              <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
                <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{Convert.ToBase64String(certificate.RawData)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
                <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.acme.example/sso"/>
              </md:IDPSSODescriptor>
            </md:EntityDescriptor>
            """;
    }

    private async Task<(Actor Owner, Guid Acme)> AcmeAsync()
    {
        var owner = await world.CreateUserAsync("Olivia", $"olivia@{Domain}");
        var organization = await owner.Organizations.CreateAsync("Acme");
        await owner.Create<JoinPolicyService>(TimeProvider.System)
            .AddDomainAsync(Domain);
        await using var db = world.Database.CreateContext();
        await DnsProofs.MarkProvedAsync(db, organization.Id, Domain);
        return (owner, organization.Id);
    }

    private static SamlSettingsInput Input(string? metadata) => new(metadata, null, [Domain], Enabled: true, Required: false);

    [Fact]
    public async Task An_owner_uploads_idp_metadata_and_an_admin_reads_it_but_cannot_change_it()
    {
        var (owner, acme) = await AcmeAsync();
        var view = await Saml(owner).SaveAsync(Input(IdpMetadata()));

        view.Configured.Should().BeTrue();
        view.IdpEntityId.Should().Be("https://idp.acme.example/saml");
        view.IdpSsoUrl.Should().Be("https://idp.acme.example/sso");
        view.SpEntityIdPath.Should().Be($"/saml/{acme:N}/metadata");
        view.SpCertificate.Should().NotBeNullOrEmpty("MultiOrg's signing key is made at the first save");
        view.IdpInitiated.Should().BeFalse("IdP-initiated sign-in is off unless the owner turns it on");

        var admin = await world.JoinAsync(owner, acme, "Adam", OrganizationRole.Admin);
        (await Saml(admin).GetAsync()).Should().Match<SamlSettingsView>(v => v.Configured && !v.CanEdit);
        var refused = await FluentActions.Awaiting(() => Saml(admin).SaveAsync(Input(null))).Should().ThrowAsync<DomainException>();
        refused.Which.Kind.Should().Be(DomainErrorKind.Forbidden);
        (await Lookup().GetAsync(acme)).Should().NotBeNull("the turned-on SAML provider is found for sign-in");
    }

    [Fact]
    public async Task Metadata_with_a_dtd_is_refused_naming_the_metadata_field_and_nothing_is_resolved()
    {
        var (owner, _) = await AcmeAsync();
        var xxe = IdpMetadata(entityId: "&secret;", doctype: """<!DOCTYPE md:EntityDescriptor [<!ENTITY secret SYSTEM "file:///etc/passwd">]>""");

        var refused = await FluentActions.Awaiting(() => Saml(owner).SaveAsync(Input(xxe))).Should().ThrowAsync<DomainException>();

        refused.Which.Field.Should().Be("metadata");
        refused.Which.Message.Should().Contain("DTD");
        (await Saml(owner).GetAsync()).Configured.Should().BeFalse();
    }

    [Fact]
    public async Task Service_provider_metadata_instead_of_the_idps_is_refused_with_the_reason()
    {
        var (owner, _) = await AcmeAsync();
        var sp = IdpMetadata().Replace("IDPSSODescriptor", "SPSSODescriptor", StringComparison.Ordinal);

        var refused = await FluentActions.Awaiting(() => Saml(owner).SaveAsync(Input(sp))).Should().ThrowAsync<DomainException>();

        refused.Which.Field.Should().Be("metadata");
        refused.Which.Message.Should().Contain("no identity provider");
    }

    [Fact]
    public async Task Saving_saml_replaces_the_openid_connect_provider_and_deletes_its_secret()
    {
        var (owner, acme) = await AcmeAsync();
        var oidc = owner.Create<SingleSignOnService>(protector, TimeProvider.System, OutboundAddresses.PublicOnly);
        await oidc.SaveAsync(new SsoSettingsInput("https://login.acme.example", "multiorg", "a-client-secret-123", [Domain], true, false));
        (await Saml(owner).GetAsync()).OpenIdConnectInUse.Should().BeTrue("the page warns before replacing it");

        await Saml(owner).SaveAsync(Input(IdpMetadata()));

        (await oidc.GetAsync()).Configured.Should().BeFalse();
        var ssoDirectory = world.Unscoped<SsoLookup>(protector);
        (await ssoDirectory.GetClientAsync(acme)).Should().BeNull("no OpenID Connect handler is built for a SAML organization");
        (await ssoDirectory.FindForEmailAsync($"nina@{Domain}")).Should().NotBeNull("the domain routes to the organization's (SAML) provider");
        await using var db = world.Database.CreateContext();
        var connection = await db.Set<SsoConnection>().IgnoreQueryFilters().SingleAsync(c => c.OrganizationId == acme);
        connection.Protocol.Should().Be(SsoProtocol.Saml);
        connection.ProtectedClientSecret.Should().BeEmpty();
    }
}
