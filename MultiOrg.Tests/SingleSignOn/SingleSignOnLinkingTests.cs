using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Organizations;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.SingleSignOn;

/// <summary>
/// Linking a provider sign-in to an existing account: only its signed-in holder links it, by choosing "connect";
/// membership, an asserted address or an unverified one link nothing.
/// </summary>
public sealed partial class SingleSignOnFlowTests
{
    /// <summary>"Connect" on the account's external logins page, as the signed-in holder's browser posts it.</summary>
    private async Task<HttpResponseMessage> ConnectAsync(HttpClient browser)
    {
        var page = await browser.GetStringAsync($"{BaseUrl}/Account/Manage/ExternalLogins");
        var token = AntiforgeryField().Match(page);
        page.Should().Contain("data-testid=\"sso-connect\"", "the page offers to connect the organization's provider");
        return await browser.PostAsync($"{BaseUrl}/Account/Sso/Connect", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
        }));
    }

    [Fact]
    public async Task An_existing_account_is_linked_only_when_its_holder_is_signed_in_and_chooses_connect()
    {
        var email = $"erin@{Domain}";
        await RegisterConfirmedAsync(email);
        (await ConfigureAsync()).EnsureSuccessStatusCode();
        provider.AddUser(email, ProviderPassword, "Erin Existing");

        using (var stranger = Browser())
        {
            var refused = await SignInThroughProviderAsync(stranger, email);
            refused.RequestMessage!.RequestUri!.PathAndQuery.Should().Be("/Account/Sso/Error?reason=account-exists",
                "whoever runs a provider must not take over an account that never joined the organization");
        }

        var cookies = new CookieContainer();
        using var herself = Browser(cookies);
        (await PostLoginFormAsync(herself, email, ApiFactory.Password)).RequestMessage!.RequestUri!.AbsolutePath.Should().NotBe("/Account/Login");

        // Signed in, but only following a link to the sign-in start: a page of someone else's could send her there.
        var followedLink = await SignInThroughProviderAsync(herself, email);
        followedLink.RequestMessage!.RequestUri!.PathAndQuery.Should().Be("/Account/Sso/Error?reason=account-exists");
        (await AccountAsync(email)).Login.Should().BeNull("a sign-in she did not ask to connect links nothing");

        // A connect without the page's antiforgery token (posted from another site) is refused.
        var forged = await herself.PostAsync($"{BaseUrl}/Account/Sso/Connect", new FormUrlEncodedContent([]));
        forged.RequestMessage!.RequestUri!.PathAndQuery.Should().Be("/Account/Sso/Error?reason=failed", "never sent to the provider");

        // Still signed in at the provider from the step above, the browser comes straight back.
        var connected = await ConnectAsync(herself);

        connected.RequestMessage!.RequestUri!.AbsolutePath.Should().Be("/Account/Manage/ExternalLogins");
        var account = await AccountAsync(email);
        account.Role.Should().Be(OrganizationRole.Member);
        account.Login.Should().Be(LinkOf(email));
        using var later = Browser(new CookieContainer());
        (await SignInThroughProviderAsync(later, email)).RequestMessage!.RequestUri!.AbsolutePath.Should().NotStartWith("/Account", "linked, she signs in through the provider");
    }

    [Fact]
    public async Task An_existing_member_is_not_linked_by_membership_alone_and_keeps_their_role_once_connected()
    {
        var email = $"max@{Domain}";
        await RegisterConfirmedAsync(email);
        (await owner.PostAsJsonAsync($"/api/organizations/{organizationId}/members", new { email, role = "ADMIN" })).EnsureSuccessStatusCode();
        (await ConfigureAsync()).EnsureSuccessStatusCode();
        provider.AddUser(email, ProviderPassword, "Max Member");
        using (var first = Browser())
        {
            (await SignInThroughProviderAsync(first, email)).RequestMessage!.RequestUri!.PathAndQuery.Should().Be("/Account/Sso/Error?reason=account-exists");
        }

        using var browser = Browser();
        (await PostLoginFormAsync(browser, email, ApiFactory.Password)).RequestMessage!.RequestUri!.AbsolutePath.Should().NotBe("/Account/Login");
        await SignInAtProviderAsync(browser, email, await ConnectAsync(browser));

        var account = await AccountAsync(email);
        account.Role.Should().Be(OrganizationRole.Admin, "a sign-in never changes a member's role");
        account.Login.Should().Be(LinkOf(email));
    }

    [Fact]
    public async Task A_provider_asserting_a_members_address_neither_signs_its_runner_in_as_them_nor_links_anything()
    {
        // The attacker owns the organization, adds the victim by email and runs the provider, which vouches (as verified)
        // for the victim's address under a subject of the attacker's.
        var victim = $"victor@{Domain}";
        await RegisterConfirmedAsync(victim);
        (await owner.PostAsJsonAsync($"/api/organizations/{organizationId}/members", new { email = victim, role = "MEMBER" })).EnsureSuccessStatusCode();
        (await ConfigureAsync()).EnsureSuccessStatusCode();
        provider.AddUser(victim, ProviderPassword, "Not Victor");
        var cookies = new CookieContainer();
        using var attacker = Browser(cookies);

        var ended = await SignInThroughProviderAsync(attacker, victim);

        ended.RequestMessage!.RequestUri!.PathAndQuery.Should().Be("/Account/Sso/Error?reason=account-exists");
        cookies.GetCookies(new Uri(BaseUrl)).Select(c => c.Name).Should().NotContain(".AspNetCore.Identity.Application", "nobody is signed in");
        var page = await attacker.GetAsync($"{BaseUrl}/organizations/{organizationId}/members");
        page.RequestMessage!.RequestUri!.AbsolutePath.Should().Be("/Account/Login", "the attacker's browser holds no session of the victim's");
        await using var db = database.Database.CreateContext();
        (await db.UserLogins.CountAsync()).Should().Be(0, "no provider login was linked to any account");
    }

    [Fact]
    public async Task An_address_the_provider_does_not_mark_verified_creates_and_links_nothing()
    {
        (await ConfigureAsync()).EnsureSuccessStatusCode();
        var email = $"uma@{Domain}";
        provider.AddUser(email, ProviderPassword, "Uma Unverified", emailVerified: null);
        using var browser = Browser();

        var ended = await SignInThroughProviderAsync(browser, email);

        ended.RequestMessage!.RequestUri!.PathAndQuery.Should().Be("/Account/Sso/Error?reason=wrong-domain");
        await using var db = database.Database.CreateContext();
        (await db.Users.AnyAsync(u => u.Email == email)).Should().BeFalse();
        (await db.UserLogins.CountAsync()).Should().Be(0);
    }
}
