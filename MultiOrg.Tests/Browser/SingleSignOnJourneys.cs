using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Browser;

/// <summary>
/// Single sign-on in Chromium against the tests' OpenIddict provider on a loopback port: an owner sets it up on the
/// Security page, a new person at the domain signs in at the provider and lands in the organization, "SSO required"
/// turns password sign-in away with the reason, and a wrong client secret ends on the clear error page.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SingleSignOnJourneys(BrowserFixture fixture)
{
    private const string Password = "Secure!Passw0rd";
    private const string ProviderPassword = "Provider-pass-1";
    private const string Secret = "provider-secret-91c0e2";

    [Fact]
    public async Task A_new_person_signs_in_at_the_organizations_provider_and_sso_required_and_a_wrong_secret_behave()
    {
        await using var provider = await OidcProvider.StartAsync();
        var domain = $"sso{Guid.NewGuid():N}"[..14] + ".test";
        var ownerEmail = $"olivia@{domain}";
        var owner = await fixture.NewPageAsync(dark: true);

        // A new owner whose own confirmed address is at the domain, so the organization can verify it.
        await owner.RegisterAsync(ownerEmail, Password);
        await owner.GotoAsync(await fixture.Server.Mailbox.WaitForLinkToAsync(ownerEmail, "/Account/ConfirmEmail"));
        await owner.GotoAsync("/organizations/new");
        await owner.WaitForCircuitAsync();
        await owner.Locator("input[data-testid='org-name']").FillAsync("Initech SSO");
        await owner.Locator("[data-testid='create-org']").ClickAsync();
        await Expect(owner).ToHaveURLAsync(new Regex("/organizations/[0-9a-f-]{36}/dashboard$"));
        var organizationId = owner.OrganizationIdFromUrl();
        using var api = new HttpClient { BaseAddress = new Uri(fixture.Server.BaseUrl) };
        var login = await api.PostAsJsonAsync("/api/auth/login", new { email = ownerEmail, password = Password });
        api.DefaultRequestHeaders.Authorization = new("Bearer", (await login.JsonAsync()).GetProperty("accessToken").GetString());
        try
        {
            (await api.PostAsJsonAsync($"/api/organizations/{organizationId}/join-policy/domains", new { domain })).EnsureSuccessStatusCode();
            await using (var proof = new MultiOrg.Data.MultiOrgDbProvider(MultiOrg.Data.DatabaseProvider.Sqlite, $"Data Source={fixture.Server.DatabasePath}").Create(new MultiOrg.Domain.Tenancy.TenantContext()))
            {
                await DnsProofs.MarkProvedAsync(proof, organizationId, domain);
            }

            await provider.RegisterClientAsync("multiorg", Secret, $"{fixture.Server.BaseUrl}/signin-sso/{organizationId:N}");
            provider.AddUser($"nina@{domain}", ProviderPassword, "Nina New");

            // The owner sets the provider up on the Security page.
            await owner.GotoAsync($"/organizations/{organizationId}/settings/security");
            await owner.WaitForCircuitAsync();
            await Expect(owner.Locator("[data-testid='sso-status']")).ToHaveTextAsync("Not set up");
            await owner.GetByLabel("Sign in through the provider").CheckAsync();
            await owner.Locator("input[data-testid='sso-authority']").FillAsync(provider.Authority);
            await owner.Locator("input[data-testid='sso-client-id']").FillAsync("multiorg");
            await owner.Locator("input[data-testid='sso-client-secret']").FillAsync(Secret);
            await owner.Locator("[data-testid='sso-domains']").ClickAsync();
            await owner.GetByRole(AriaRole.Option, new() { Name = domain }).ClickAsync();
            await owner.Keyboard.PressAsync("Escape");
            await owner.Locator("[data-testid='sso-test']").ClickAsync();
            await Expect(owner.Locator("[data-testid='sso-test-result']")).ToContainTextAsync("The provider answered");
            await owner.Locator("[data-testid='sso-save']").ClickAsync();
            await Expect(owner.GetByText("Single sign-on saved.")).ToBeVisibleAsync();
            await Expect(owner.Locator("[data-testid='sso-status']")).ToHaveTextAsync("On");
            await Expect(owner.Locator("input[data-testid='sso-client-secret']")).ToHaveValueAsync("");
            (await owner.ContentAsync()).Should().NotContain(Secret, "the secret is never shown again");
            await owner.ScreenshotAsync("sso-settings-dark");

            // The owners name a break-glass owner; one without two-factor is told the way in needs it first.
            await owner.Locator("[data-testid='sso-break-glass']").ClickAsync();
            await owner.GetByRole(AriaRole.Option, new() { Name = $"{ownerEmail} (no two-factor)" }).ClickAsync();
            await Expect(owner.GetByText("Break-glass owner saved.")).ToBeVisibleAsync();
            await Expect(owner.Locator("[data-testid='sso-break-glass-warning']")).ToContainTextAsync($"{ownerEmail} has no two-factor authentication");

            // A new person at the domain: the sign-in page sends her to the provider; she lands in Initech as MEMBER.
            var nina = await fixture.NewPageAsync();
            await nina.GotoAsync("/Account/Login");
            await nina.Locator("[name='Input.Email']").FillAsync($"nina@{domain}");
            await nina.ScreenshotAsync("sso-sign-in-light");
            await nina.Locator("[data-testid='continue-with-sso']").ClickAsync();
            await Expect(nina.GetByRole(AriaRole.Heading, new() { Name = "Acme sign-in provider" })).ToBeVisibleAsync();
            await nina.GetByLabel("Username").FillAsync($"nina@{domain}");
            await nina.GetByLabel("Password").FillAsync(ProviderPassword);
            await nina.GetByRole(AriaRole.Button, new() { Name = "Sign in at the provider" }).ClickAsync();
            await nina.WaitForURLAsync(url => url.Contains($"/organizations/{organizationId}", StringComparison.Ordinal));
            await nina.WaitForCircuitAsync();
            await nina.GotoAsync($"/organizations/{organizationId}/members");
            await nina.WaitForCircuitAsync();
            var row = nina.Locator("tr", new() { HasText = "Nina New" });
            await Expect(row).ToContainTextAsync("MEMBER");
            await nina.ScreenshotAsync("sso-new-member-light");

            // Required: a password at the domain is refused with the reason.
            await owner.Locator("input[data-testid='sso-required']").CheckAsync();
            await owner.Locator("[data-testid='sso-save']").ClickAsync();
            await Expect(owner.Locator("[data-testid='sso-status']")).ToHaveTextAsync("On · required");
            var paul = await fixture.NewPageAsync(dark: true);
            await paul.GotoAsync("/Account/Login");
            await paul.Locator("[name='Input.Email']").FillAsync($"nina@{domain}");
            await paul.Locator("[name='Input.Password']").FillAsync(Password);
            await paul.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
            await Expect(paul.GetByText($"Password sign-in is turned off for {domain} addresses: your organization requires single sign-on."))
                .ToBeVisibleAsync();
            await Expect(paul).ToHaveURLAsync(new Regex("/Account/Login"));
            await paul.ScreenshotAsync("sso-required-refusal-dark");

            // A wrong client secret: the provider refuses MultiOrg, and the person sees the error page, signed in nowhere.
            await owner.Locator("input[data-testid='sso-client-secret']").FillAsync("a-wrong-secret");
            await owner.Locator("[data-testid='sso-save']").ClickAsync();
            await Expect(owner.GetByText("Single sign-on saved.").Last).ToBeVisibleAsync();
            var again = await fixture.NewPageAsync();
            await again.GotoAsync("/Account/Login");
            await again.Locator("[name='Input.Email']").FillAsync($"nina@{domain}");
            await again.Locator("[data-testid='continue-with-sso']").ClickAsync();
            await again.GetByLabel("Username").FillAsync($"nina@{domain}");
            await again.GetByLabel("Password").FillAsync(ProviderPassword);
            await again.GetByRole(AriaRole.Button, new() { Name = "Sign in at the provider" }).ClickAsync();
            await Expect(again).ToHaveURLAsync(new Regex("/Account/Sso/Error\\?reason=rejected"));
            await Expect(again.Locator("[data-testid='sso-error']")).ToContainTextAsync("refused MultiOrg's request");
            await again.ScreenshotAsync("sso-error-light");
            await again.GotoAsync($"/organizations/{organizationId}/members");
            await Expect(again).ToHaveURLAsync(new Regex("/Account/Login"));
        }
        finally
        {
            // The journeys share one server: the organization (and its domain's routing) goes with the test.
            await api.DeleteAsync($"/api/organizations/{organizationId}");
        }
    }

    [Fact]
    public async Task A_person_with_three_memberships_signs_in_through_the_provider()
    {
        await using var provider = await OidcProvider.StartAsync();
        var domain = $"sso{Guid.NewGuid():N}"[..14] + ".test";
        var ownerEmail = $"olivia@{domain}";
        var owner = await fixture.NewPageAsync();
        await owner.RegisterAsync(ownerEmail, Password);
        await owner.GotoAsync(await fixture.Server.Mailbox.WaitForLinkToAsync(ownerEmail, "/Account/ConfirmEmail"));
        using var api = new HttpClient { BaseAddress = new Uri(fixture.Server.BaseUrl) };
        var login = await api.PostAsJsonAsync("/api/auth/login", new { email = ownerEmail, password = Password });
        api.DefaultRequestHeaders.Authorization = new("Bearer", (await login.JsonAsync()).GetProperty("accessToken").GetString());
        var organizations = new List<Guid>();
        try
        {
            foreach (var name in new[] { "Initech SSO", "Globex", "Umbrella" })
            {
                organizations.Add((await (await api.PostAsJsonAsync("/api/organizations", new { name })).JsonAsync()).GetProperty("id").GetGuid());
            }

            var sso = organizations[0];
            (await api.PostAsJsonAsync($"/api/organizations/{sso}/join-policy/domains", new { domain })).EnsureSuccessStatusCode();
            await using (var proof = new MultiOrg.Data.MultiOrgDbProvider(MultiOrg.Data.DatabaseProvider.Sqlite, $"Data Source={fixture.Server.DatabasePath}").Create(new MultiOrg.Domain.Tenancy.TenantContext()))
            {
                await DnsProofs.MarkProvedAsync(proof, sso, domain);
            }

            await provider.RegisterClientAsync("multiorg", Secret, $"{fixture.Server.BaseUrl}/signin-sso/{sso:N}");
            (await api.PutAsJsonAsync($"/api/organizations/{sso}/sso", new
            {
                authority = provider.Authority, clientId = "multiorg", clientSecret = Secret, domains = new[] { domain }, enabled = true, required = false,
            })).EnsureSuccessStatusCode();
            var email = $"tess@{domain}";
            provider.AddUser(email, ProviderPassword, "Tess Three");

            // Her first sign-in creates her account (the provider is the first to know her) and her membership of Initech.
            var first = await fixture.NewPageAsync();
            await SignInThroughProviderAsync(first, email);
            await first.WaitForURLAsync(url => url.Contains($"/organizations/{sso}", StringComparison.Ordinal));
            foreach (var other in organizations.Skip(1))
            {
                (await api.PostAsJsonAsync($"/api/organizations/{other}/members", new { email, role = "MEMBER" })).EnsureSuccessStatusCode();
            }

            // In three organizations now, she signs in again through the provider in a new browser.
            var tess = await fixture.NewPageAsync();
            await SignInThroughProviderAsync(tess, email);
            await tess.WaitForURLAsync(url => url.Contains($"/organizations/{sso}", StringComparison.Ordinal));
            await tess.WaitForCircuitAsync();
            await tess.GotoAsync($"/organizations/{organizations[2]}/members");
            await tess.WaitForCircuitAsync();
            await Expect(tess.Locator("tr", new() { HasText = "Tess Three" })).ToContainTextAsync("MEMBER");
            await tess.ScreenshotAsync("sso-three-memberships-light");
        }
        finally
        {
            foreach (var organization in organizations)
            {
                await api.DeleteAsync($"/api/organizations/{organization}");
            }
        }
    }

    [Fact]
    public async Task A_member_from_elsewhere_keeps_her_password_session_and_steps_up_at_the_provider_when_opening_the_sso_required_organization()
    {
        await using var provider = await OidcProvider.StartAsync();
        var domain = $"sso{Guid.NewGuid():N}"[..14] + ".test";
        var ownerEmail = $"olivia@{domain}";
        var aliceEmail = $"alice{Guid.NewGuid():N}"[..13] + "@other-company.test";
        var owner = await fixture.NewPageAsync();
        await owner.RegisterAsync(ownerEmail, Password);
        await owner.GotoAsync(await fixture.Server.Mailbox.WaitForLinkToAsync(ownerEmail, "/Account/ConfirmEmail"));
        var alice = await fixture.NewPageAsync(dark: true);
        await alice.RegisterAsync(aliceEmail, Password);
        await alice.GotoAsync(await fixture.Server.Mailbox.WaitForLinkToAsync(aliceEmail, "/Account/ConfirmEmail"));
        using var api = new HttpClient { BaseAddress = new Uri(fixture.Server.BaseUrl) };
        var login = await api.PostAsJsonAsync("/api/auth/login", new { email = ownerEmail, password = Password });
        api.DefaultRequestHeaders.Authorization = new("Bearer", (await login.JsonAsync()).GetProperty("accessToken").GetString());
        var sso = (await (await api.PostAsJsonAsync("/api/organizations", new { name = "Initech Required" })).JsonAsync()).GetProperty("id").GetGuid();
        try
        {
            (await api.PostAsJsonAsync($"/api/organizations/{sso}/join-policy/domains", new { domain })).EnsureSuccessStatusCode();
            await using (var proof = new MultiOrg.Data.MultiOrgDbProvider(MultiOrg.Data.DatabaseProvider.Sqlite, $"Data Source={fixture.Server.DatabasePath}").Create(new MultiOrg.Domain.Tenancy.TenantContext()))
            {
                await DnsProofs.MarkProvedAsync(proof, sso, domain);
            }

            await provider.RegisterClientAsync("multiorg", Secret, $"{fixture.Server.BaseUrl}/signin-sso/{sso:N}");
            (await api.PostAsJsonAsync($"/api/organizations/{sso}/members", new { email = aliceEmail, role = "MEMBER" })).EnsureSuccessStatusCode();
            (await api.PutAsJsonAsync($"/api/organizations/{sso}/sso", new
            {
                authority = provider.Authority, clientId = "multiorg", clientSecret = Secret, domains = new[] { domain }, enabled = true, required = true,
            })).EnsureSuccessStatusCode();
            provider.AddUser($"alice@{domain}", ProviderPassword, "Alice at Initech");

            // Her password session (from registering) stays; opening the organization sends her to its provider, and back.
            await alice.GotoAsync($"/organizations/{sso}/members");
            await Expect(alice).ToHaveURLAsync(new Regex("/Account/Sso/StepUp\\?organizationId="));
            await Expect(alice.Locator("[data-testid='sso-step-up-reason']")).ToContainTextAsync("Initech Required requires its members to sign in through its identity provider");
            await alice.ScreenshotAsync("sso-step-up-dark");
            await alice.Locator("[data-testid='sso-step-up']").ClickAsync();
            await alice.GetByLabel("Username").FillAsync($"alice@{domain}");
            await alice.GetByLabel("Password").FillAsync(ProviderPassword);
            await alice.GetByRole(AriaRole.Button, new() { Name = "Sign in at the provider" }).ClickAsync();
            await alice.WaitForURLAsync(url => url.EndsWith($"/organizations/{sso}/members", StringComparison.Ordinal));
            await alice.WaitForCircuitAsync();
            await Expect(alice.Locator("tr", new() { HasText = aliceEmail })).ToContainTextAsync("MEMBER");
        }
        finally
        {
            await api.DeleteAsync($"/api/organizations/{sso}");
        }
    }

    private static async Task SignInThroughProviderAsync(IPage page, string email)
    {
        await page.GotoAsync("/Account/Login");
        await page.Locator("[name='Input.Email']").FillAsync(email);
        await page.Locator("[data-testid='continue-with-sso']").ClickAsync();
        await page.GetByLabel("Username").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(ProviderPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in at the provider" }).ClickAsync();
    }
}
