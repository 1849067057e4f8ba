using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using MultiOrg.Domain.Users;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.SingleSignOn;

/// <summary>
/// "SSO required" for a member whose address is elsewhere: the password session stays, and entering the organization
/// asks once per session for its provider (the step-up), whose sign-in must be this person's own.
/// </summary>
public sealed partial class SingleSignOnFlowTests
{
    private const string Elsewhere = "alice@other-company.test";

    /// <summary>A member from elsewhere with a password session in a browser (cookies), in the SSO-required organization.</summary>
    private async Task<HttpClient> MemberFromElsewhereSignedInAsync()
    {
        await RegisterConfirmedAsync(Elsewhere);
        (await owner.PostAsJsonAsync($"/api/organizations/{organizationId}/members", new { email = Elsewhere, role = "MEMBER" })).EnsureSuccessStatusCode();
        (await ConfigureAsync(required: true)).EnsureSuccessStatusCode();
        var browser = Browser(new CookieContainer());
        (await PostLoginFormAsync(browser, Elsewhere, ApiFactory.Password)).RequestMessage!.RequestUri!.AbsolutePath
            .Should().NotBe("/Account/Login", "a member from elsewhere keeps password sign-in");
        return browser;
    }

    /// <summary>Opens the organization's page; the layout sends the browser to the step-up, whose form goes to the provider.</summary>
    private async Task<HttpResponseMessage> StepUpToProviderAsync(HttpClient browser)
    {
        var entry = await browser.GetAsync($"{BaseUrl}/organizations/{organizationId}/members");
        entry.RequestMessage!.RequestUri!.AbsolutePath.Should().Be("/Account/Sso/StepUp", "the page door sends a session without the mark to the step-up");
        var page = await entry.Content.ReadAsStringAsync();
        page.Should().Contain("data-testid=\"sso-step-up\"").And.Contain("Acme SSO");
        return await browser.PostAsync($"{BaseUrl}/Account/Sso/StepUp/Continue", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryField().Match(page).Groups[1].Value),
            ["organizationId"] = organizationId.ToString(),
            ["returnUrl"] = $"/organizations/{organizationId}/members",
        }));
    }

    [Fact]
    public async Task A_member_from_elsewhere_passes_the_provider_once_per_session_and_then_enters_the_sso_required_organization()
    {
        using var alice = await MemberFromElsewhereSignedInAsync();
        provider.AddUser($"alice@{Domain}", ProviderPassword, "Alice at Acme");

        var landed = await SignInAtProviderAsync(alice, $"alice@{Domain}", await StepUpToProviderAsync(alice));

        landed.RequestMessage!.RequestUri!.PathAndQuery.Should().Be($"/organizations/{organizationId}/members", "back where she was going");
        (await landed.Content.ReadAsStringAsync()).Should().Contain("Acme SSO");
        (await AccountAsync(Elsewhere)).Login.Should().Be(LinkOf($"alice@{Domain}"), "the provider's sign-in is linked to her own account now");
        var again = await alice.GetAsync($"{BaseUrl}/organizations/{organizationId}/members");
        again.RequestMessage!.RequestUri!.AbsolutePath.Should().Be($"/organizations/{organizationId}/members", "the session carries the mark");

        // Another session (a second browser, her password) is asked again; the linked provider sign-in passes it.
        using var second = Browser(new CookieContainer());
        (await PostLoginFormAsync(second, Elsewhere, ApiFactory.Password)).EnsureSuccessStatusCode();
        var secondLanded = await SignInAtProviderAsync(second, $"alice@{Domain}", await StepUpToProviderAsync(second));
        secondLanded.RequestMessage!.RequestUri!.PathAndQuery.Should().Be($"/organizations/{organizationId}/members");
    }

    [Fact]
    public async Task A_step_up_through_a_provider_sign_in_that_belongs_to_someone_else_ends_on_the_error_page_and_changes_nothing()
    {
        (await ConfigureAsync()).EnsureSuccessStatusCode();
        provider.AddUser($"bob@{Domain}", ProviderPassword, "Bob at Acme");
        using (var bob = Browser())
        {
            (await SignInThroughProviderAsync(bob, $"bob@{Domain}")).RequestMessage!.RequestUri!.AbsolutePath.Should().NotStartWith("/Account");
        }

        using var alice = await MemberFromElsewhereSignedInAsync();

        var ended = await SignInAtProviderAsync(alice, $"bob@{Domain}", await StepUpToProviderAsync(alice));

        ended.RequestMessage!.RequestUri!.PathAndQuery.Should().Be("/Account/Sso/Error?reason=linked-elsewhere");
        (await AccountAsync(Elsewhere)).Login.Should().BeNull("nothing was linked");
        (await AccountAsync($"bob@{Domain}")).Login.Should().Be(LinkOf($"bob@{Domain}"), "Bob's link is untouched");
        var entry = await alice.GetAsync($"{BaseUrl}/organizations/{organizationId}/members");
        entry.RequestMessage!.RequestUri!.AbsolutePath.Should().Be("/Account/Sso/StepUp", "her session gained no mark");
    }

    [Fact]
    public async Task A_step_up_form_posted_without_the_pages_antiforgery_token_is_refused_and_never_reaches_the_provider()
    {
        using var alice = await MemberFromElsewhereSignedInAsync();

        var forged = await alice.PostAsync($"{BaseUrl}/Account/Sso/StepUp/Continue", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["organizationId"] = organizationId.ToString(),
        }));

        forged.RequestMessage!.RequestUri!.PathAndQuery.Should().Be("/Account/Sso/Error?reason=failed");
    }

    [Fact]
    public async Task Staff_the_break_glass_owner_and_api_keys_enter_the_sso_required_organization_without_a_step_up()
    {
        var staff = "sam@other-company.test";
        var glass = "gina@other-company.test";
        var owner2 = "omar@other-company.test";
        foreach (var email in new[] { staff, glass, owner2 })
        {
            await RegisterConfirmedAsync(email);
        }

        (await owner.PostAsJsonAsync($"/api/organizations/{organizationId}/members", new { email = staff, role = "MEMBER" })).EnsureSuccessStatusCode();
        foreach (var email in new[] { glass, owner2 })
        {
            (await owner.PostAsJsonAsync($"/api/organizations/{organizationId}/members", new { email, role = "OWNER" })).EnsureSuccessStatusCode();
        }

        var codes = new Dictionary<string, string>();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            foreach (var email in new[] { staff, glass, owner2 })
            {
                var user = (await users.FindByEmailAsync(email))!;
                user.GlobalRole = email == staff ? GlobalRole.SystemAdmin : GlobalRole.User;
                await users.UpdateAsync(user);
                await users.ResetAuthenticatorKeyAsync(user);
                await users.SetTwoFactorEnabledAsync(user, true);
                codes[email] = (await users.GetAuthenticatorKeyAsync(user))!;
            }
        }

        // A key made before single sign-on was required: an organization's credential, not a person's sign-in.
        using var omar = await TwoFactorLoginAsync(owner2, codes[owner2]);
        var secret = (await (await omar.PostAsJsonAsync($"/api/organizations/{organizationId}/api-keys", new { name = "Sync", role = "ADMIN" })).JsonAsync())
            .GetProperty("secret").GetString()!;
        (await ConfigureAsync(required: true)).EnsureSuccessStatusCode();
        var gina = (await AccountAsync(glass)).Id;
        (await owner.PutAsJsonAsync($"/api/organizations/{organizationId}/sso/break-glass", new { userId = gina })).EnsureSuccessStatusCode();
        using var key = app.CreateClient();
        key.DefaultRequestHeaders.Add("X-Api-Key", secret);
        using var sam = await TwoFactorLoginAsync(staff, codes[staff]);
        using var breakGlass = await TwoFactorLoginAsync(glass, codes[glass]);

        (await sam.GetAsync($"/api/organizations/{organizationId}/members")).StatusCode.Should().Be(HttpStatusCode.OK, "staff keep password plus two-factor");
        (await breakGlass.GetAsync($"/api/organizations/{organizationId}/members")).StatusCode.Should().Be(HttpStatusCode.OK, "the break-glass owner is the way in when the provider is down");
        (await key.GetAsync($"/api/organizations/{organizationId}/members")).StatusCode.Should().Be(HttpStatusCode.OK, "an API key is the organization's credential");
        (await omar.GetAsync($"/api/organizations/{organizationId}/members")).StatusCode.Should().Be(HttpStatusCode.Forbidden, "another owner from elsewhere steps up, two-factor or not");
    }

    private async Task<HttpClient> TwoFactorLoginAsync(string email, string authenticatorKey)
    {
        using var anonymous = app.CreateClient();
        var login = await anonymous.PostAsJsonAsync("/api/auth/login", new { email, password = ApiFactory.Password, twoFactorCode = Totp.Code(authenticatorKey) });
        login.EnsureSuccessStatusCode();
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", (await login.JsonAsync()).GetProperty("accessToken").GetString());
        return client;
    }
}
