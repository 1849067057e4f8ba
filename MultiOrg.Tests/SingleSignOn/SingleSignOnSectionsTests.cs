using Bunit;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MultiOrg.Data;
using MultiOrg.Domain.Joining;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Scim;
using MultiOrg.Domain.Security;
using MultiOrg.Domain.SingleSignOn;
using MultiOrg.Web.Email;
using MultiOrg.Tests.Harness;
using MultiOrg.Web.Features.Scim;
using MultiOrg.Web.Features.SingleSignOn;
using MultiOrg.Web.Features.SingleSignOn.Saml;

namespace MultiOrg.Tests.SingleSignOn;

/// <summary>
/// The Security page's single sign-on sections (OpenID Connect, SAML, SCIM) over a real database: the owner edits, the
/// admin reads, and every refusal is shown next to the field it names. Acme has proved it owns acme-sso.example by DNS.
/// </summary>
[Trait(TestDatabase.Trait, TestDatabase.Independent)]
public sealed class SingleSignOnSectionsTests : ComponentTestBase
{
    private const string Domain = "acme-sso.example";
    private const string PublicBaseUrl = "https://multiorg.test/";

    private readonly TestWorld world = new();
    private readonly ISsoSecretProtector protector = new DataProtectionSsoSecretProtector(new EphemeralDataProtectionProvider());
    private readonly OutboundAddresses outbound = new([]);
    private Actor owner = null!;
    private Actor admin = null!;
    private Guid organizationId;

    public override async Task InitializeAsync()
    {
        owner = await world.CreateUserAsync("Olivia", $"olivia@{Domain}");
        organizationId = (await owner.Organizations.CreateAsync("Acme")).Id;
        await new JoinPolicyService(new MultiOrgDbFactory(world.Database.Provider, owner.Tenant, TimeProvider.System), owner.Tenant, TimeProvider.System, world.Plans)
            .AddDomainAsync(Domain);
        await using (var db = world.Database.CreateContext())
        {
            await DnsProofs.MarkProvedAsync(db, organizationId, Domain);
        }

        admin = await world.JoinAsync(owner, organizationId, "Adam", OrganizationRole.Admin);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        world.Dispose();
    }

    private SingleSignOnService Oidc(Actor actor) =>
        new(new MultiOrgDbFactory(world.Database.Provider, actor.Tenant, TimeProvider.System), actor.Tenant, protector, TimeProvider.System, outbound);

    /// <summary>What the Security page's sections are served with, for one person's circuit.</summary>
    private void Serve(Actor actor)
    {
        var factory = new MultiOrgDbFactory(world.Database.Provider, actor.Tenant, TimeProvider.System);
        Context.Services.AddSingleton(Oidc(actor));
        Context.Services.AddSingleton(new SamlSettingsService(factory, actor.Tenant, protector, TimeProvider.System));
        Context.Services.AddSingleton(new ScimTokenService(factory, actor.Tenant, TimeProvider.System));
        Context.Services.AddSingleton(outbound);
        Context.Services.AddHttpClient();
        Context.Services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        Context.Services.AddSingleton<SsoConnectionTest>();
        Context.Services.AddSingleton<SamlMetadataFetcher>();
        Context.Services.AddSingleton(new AppLinks(Microsoft.Extensions.Options.Options.Create(new MultiOrg.Web.Hosting.AppOptions { PublicBaseUrl = PublicBaseUrl })));
        RenderProviders();
    }

    private IRenderedComponent<T> RenderAs<T>(Actor actor, string loaded)
        where T : Microsoft.AspNetCore.Components.IComponent
    {
        Serve(actor);
        var cut = Context.Render<T>(builder =>
        {
            builder.OpenComponent<T>(0);
            builder.AddAttribute(1, "OrgId", organizationId);
            builder.CloseComponent();
        });
        cut.WaitForAssertion(() => cut.FindAll(loaded).Should().NotBeEmpty(), Loaded);
        return cut;
    }

    private static string Text<T>(IRenderedComponent<T> cut, string testId)
        where T : Microsoft.AspNetCore.Components.IComponent => cut.Find($"[data-testid='{testId}']").TextContent.Trim();

    /// <summary>The field's box with its label, input and the error or helper text under it.</summary>
    private static string FieldText<T>(IRenderedComponent<T> cut, string testId)
        where T : Microsoft.AspNetCore.Components.IComponent =>
        cut.Find($"[data-testid='{testId}']").Closest(".mud-input-control")!.TextContent;

    private static void Fill<T>(IRenderedComponent<T> cut, string testId, string value)
        where T : Microsoft.AspNetCore.Components.IComponent => cut.Find($"input[data-testid='{testId}']").Change(value);

    /// <summary>The provider's address, with the client id and secret it gave MultiOrg.</summary>
    private static void FillProvider(IRenderedComponent<SsoSection> cut, string authority)
    {
        Fill(cut, "sso-authority", authority);
        Fill(cut, "sso-client-id", "multiorg");
        Fill(cut, "sso-client-secret", "s3cret");
    }

    private static void Switch<T>(IRenderedComponent<T> cut, string testId, bool on)
        where T : Microsoft.AspNetCore.Components.IComponent => cut.Find($"input[data-testid='{testId}']").Change(on);

    [Fact]
    public void Sso_owner_edits_the_provider_and_is_given_the_redirect_uri_to_register()
    {
        var cut = RenderAs<SsoSection>(owner, "[data-testid='sso-save']");

        Text(cut, "sso-status").Should().Be("Not set up");
        cut.FindAll("[data-testid='sso-readonly']").Should().BeEmpty();
        cut.FindAll("input[data-testid='sso-client-secret']").Should().ContainSingle();
        cut.FindAll("[data-testid='sso-test']").Should().ContainSingle();
        cut.Find("input[data-testid='sso-redirect-uri']").GetAttribute("value").Should().EndWith($"/signin-sso/{organizationId:N}");
    }

    [Fact]
    public async Task Sso_admin_reads_the_settings_but_sees_no_secret_and_no_save()
    {
        await Oidc(owner).SaveAsync(new SsoSettingsInput("https://login.acme.example", "multiorg", "s3cret", [Domain], Enabled: true, Required: false));

        var cut = RenderAs<SsoSection>(admin, "[data-testid='sso-readonly']");

        Text(cut, "sso-readonly").Should().Be("Only owners can change single sign-on.");
        Text(cut, "sso-status").Should().Be("On");
        cut.Find("input[data-testid='sso-authority']").GetAttribute("value").Should().Be("https://login.acme.example");
        cut.Find("input[data-testid='sso-authority']").HasAttribute("readonly").Should().BeTrue();
        cut.FindAll("[data-testid='sso-client-secret']").Should().BeEmpty();
        cut.FindAll("[data-testid='sso-save']").Should().BeEmpty();
        cut.FindAll("[data-testid='sso-remove']").Should().BeEmpty();
    }

    [Fact]
    public async Task Sso_save_is_refused_with_a_named_field_when_the_authority_is_not_https()
    {
        var cut = RenderAs<SsoSection>(owner, "[data-testid='sso-save']");

        FillProvider(cut, "http://login.acme.example");
        cut.Find("form").Submit();

        cut.WaitForAssertion(() => FieldText(cut, "sso-authority").Should().Contain("The provider's address must start with https://"), Loaded);
        FieldText(cut, "sso-client-id").Should().NotContain("https://", "the refusal is shown at the field it names only");
        (await Oidc(owner).GetAsync()).Configured.Should().BeFalse();
    }

    [Fact]
    public async Task Sso_turned_on_with_no_domain_chosen_is_refused_at_the_domains()
    {
        var cut = RenderAs<SsoSection>(owner, "[data-testid='sso-domains']");

        Switch(cut, "sso-enabled", true);
        FillProvider(cut, "https://login.acme.example");
        cut.Find("form").Submit();

        cut.WaitForAssertion(() => FieldText(cut, "sso-domains").Should().Contain("Choose at least one verified domain"), Loaded);
        (await Oidc(owner).GetAsync()).Configured.Should().BeFalse();
    }

    [Fact]
    public async Task Sso_required_while_off_is_refused_with_the_reason_shown()
    {
        var cut = RenderAs<SsoSection>(owner, "[data-testid='sso-save']");

        FillProvider(cut, "https://login.acme.example");
        Switch(cut, "sso-required", true);
        cut.Find("form").Submit();

        // The service refuses with the field "required"; the person must be told why nothing was saved.
        cut.WaitForAssertion(() => (cut.Markup + Snackbars.Markup).Should().Contain("Single sign-on can only be required while it is turned on."), Loaded);
        (await Oidc(owner).GetAsync()).Configured.Should().BeFalse();
    }

    [Fact]
    public async Task Sso_saved_by_the_owner_keeps_the_secret_hidden_and_offers_a_break_glass_owner()
    {
        var cut = RenderAs<SsoSection>(owner, "[data-testid='sso-save']");

        FillProvider(cut, "https://login.acme.example");
        cut.Find("form").Submit();

        cut.WaitForAssertion(() => Text(cut, "sso-status").Should().Be("Off"), Loaded);
        cut.Find("input[data-testid='sso-client-secret']").GetAttribute("value").Should().BeNullOrEmpty("a stored secret is never shown again");
        FieldText(cut, "sso-client-secret").Should().Contain("A secret is stored");
        cut.FindAll("[data-testid='sso-break-glass']").Should().ContainSingle();
        cut.FindAll("[data-testid='sso-remove']").Should().ContainSingle();
        (await Oidc(owner).GetAsync()).Configured.Should().BeTrue();
    }

    [Fact]
    public async Task Sso_without_a_verified_domain_says_how_to_verify_one()
    {
        var (other, otherId) = await world.OrganizationAsync("Plain", "Pat");
        organizationId = otherId;

        var cut = RenderAs<SsoSection>(other, "[data-testid='sso-no-domains']");

        Text(cut, "sso-no-domains").Should().StartWith("Single sign-on needs a DNS-verified domain");
        cut.FindAll("[data-testid='sso-domains']").Should().BeEmpty();
    }

    [Fact]
    public void Saml_admin_reads_the_settings_but_sees_no_upload_and_no_save()
    {
        var cut = RenderAs<SamlSection>(admin, "[data-testid='saml-readonly']");

        Text(cut, "saml-readonly").Should().Be("Only owners can change single sign-on.");
        cut.FindAll("[data-testid='saml-metadata-choose']").Should().BeEmpty();
        cut.FindAll("[data-testid='saml-save']").Should().BeEmpty();
    }

    [Fact]
    public async Task Saml_owner_is_warned_that_saml_replaces_the_openid_connect_provider_in_use()
    {
        await Oidc(owner).SaveAsync(new SsoSettingsInput("https://login.acme.example", "multiorg", "s3cret", [Domain], Enabled: true, Required: false));

        var cut = RenderAs<SamlSection>(owner, "[data-testid='saml-save']");

        cut.FindAll("[data-testid='saml-replaces-oidc']").Should().ContainSingle();
        Text(cut, "saml-no-idp").Should().StartWith("No IdP metadata yet");
    }

    [Fact]
    public void Saml_save_without_metadata_is_refused_naming_the_metadata()
    {
        var cut = RenderAs<SamlSection>(owner, "[data-testid='saml-save']");

        cut.Find("form").Submit();

        cut.WaitForAssertion(() => Text(cut, "saml-metadata-error").Should().Be("Upload the identity provider's SAML metadata, or give its address."), Loaded);
    }

    [Fact]
    public void Saml_required_while_off_is_refused_with_the_reason_shown()
    {
        var cut = RenderAs<SamlSection>(owner, "[data-testid='saml-save']");

        Switch(cut, "saml-required", true);
        cut.Find("form").Submit();

        cut.WaitForAssertion(() => (cut.Markup + Snackbars.Markup).Should().Contain("Single sign-on can only be required while it is turned on."), Loaded);
    }

    [Fact]
    public void Scim_gives_the_base_url_from_the_public_address_and_says_there_is_no_token_yet()
    {
        var cut = RenderAs<ScimSection>(owner, "[data-testid='scim-empty']");

        cut.Find("input[data-testid='scim-base-url']").GetAttribute("value").Should().Be($"{PublicBaseUrl}scim/v2/{organizationId}");
        Text(cut, "scim-empty").Should().Contain("No SCIM token yet.");
    }

    [Fact]
    public async Task Scim_token_is_listed_active_and_revoking_it_asks_first()
    {
        var factory = new MultiOrgDbFactory(world.Database.Provider, owner.Tenant, TimeProvider.System);
        await new ScimTokenService(factory, owner.Tenant, TimeProvider.System).CreateAsync("Entra sync");
        var cut = RenderAs<ScimSection>(owner, "[data-testid='scim-token-name']");

        Text(cut, "scim-token-name").Should().Be("Entra sync");
        Text(cut, "scim-token-status").Should().Be("Active");
        cut.Find("[data-testid='revoke-scim-token']").Click();
        Dialogs.WaitForAssertion(() => Dialogs.Markup.Should().Contain("Your identity provider stops syncing through “Entra sync”"), Loaded);
        Text(cut, "scim-token-status").Should().Be("Active", "nothing is revoked before the confirmation");
        AnswerMessageBox("Revoke token");

        cut.WaitForAssertion(() => Text(cut, "scim-token-status").Should().Be("Revoked"), Loaded);
        cut.FindAll("[data-testid='revoke-scim-token']").Should().BeEmpty();
    }

    [Fact]
    public void Scim_is_refused_to_an_admin_with_the_reason_and_no_tokens()
    {
        var cut = RenderAs<ScimSection>(admin, ".mud-alert");

        cut.Find(".mud-alert").TextContent.Trim().Should().Be("Only owners can create and revoke SCIM tokens.");
        cut.FindAll("[data-testid='scim-tokens']").Should().BeEmpty();
        cut.FindAll("[data-testid='scim-empty']").Should().BeEmpty();
    }
}
