using System.Net;
using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Organizations;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.SingleSignOn;

/// <summary>
/// The provider's settings as sign-in meets them: a wrong client secret or an unreachable provider ends on the error
/// page, a changed setting applies at the next sign-in, and the secret is never shown or logged.
/// </summary>
public sealed partial class SingleSignOnFlowTests
{
    [Fact]
    public async Task A_wrong_client_secret_ends_on_the_error_page_and_signs_nobody_in()
    {
        (await ConfigureAsync(secret: "not-the-secret-the-provider-knows")).EnsureSuccessStatusCode();
        provider.AddUser($"walt@{Domain}", ProviderPassword, "Walt Wrong");
        var cookies = new CookieContainer();
        using var browser = Browser(cookies);

        var ended = await SignInThroughProviderAsync(browser, $"walt@{Domain}");

        ended.StatusCode.Should().Be(HttpStatusCode.OK, "a clear page, never a 500");
        ended.RequestMessage!.RequestUri!.PathAndQuery.Should().StartWith("/Account/Sso/Error?reason=rejected");
        WebUtility.HtmlDecode(await ended.Content.ReadAsStringAsync()).Should().Contain("refused MultiOrg's request").And.Contain("invalid_client");
        cookies.GetCookies(new Uri(BaseUrl)).Select(c => c.Name).Should().NotContain(".AspNetCore.Identity.Application");
        await using var db = database.Database.CreateContext();
        (await db.Users.AnyAsync(u => u.Email == $"walt@{Domain}")).Should().BeFalse("no account is created");
    }

    [Fact]
    public async Task An_unreachable_provider_gives_the_error_page_without_reaching_anyone()
    {
        (await ConfigureAsync(authority: "http://127.0.0.1:9/")).EnsureSuccessStatusCode();
        using var browser = Browser();

        var ended = await browser.GetAsync($"{BaseUrl}/Account/Sso/Start?email={Uri.EscapeDataString($"una@{Domain}")}");

        ended.StatusCode.Should().Be(HttpStatusCode.OK);
        ended.RequestMessage!.RequestUri!.PathAndQuery.Should().Be("/Account/Sso/Error?reason=unreachable");
        WebUtility.HtmlDecode(await ended.Content.ReadAsStringAsync()).Should().Contain("could not reach your organization's sign-in provider");
    }

    [Fact]
    public async Task A_changed_setting_takes_effect_at_the_next_sign_in_without_a_restart()
    {
        (await ConfigureAsync(secret: "not-the-secret-the-provider-knows")).EnsureSuccessStatusCode();
        provider.AddUser($"cora@{Domain}", ProviderPassword, "Cora Change");
        using (var first = Browser())
        {
            (await SignInThroughProviderAsync(first, $"cora@{Domain}")).RequestMessage!.RequestUri!.AbsolutePath.Should().Be("/Account/Sso/Error");
        }

        (await ConfigureAsync()).EnsureSuccessStatusCode();
        using var second = Browser();
        var landed = await SignInThroughProviderAsync(second, $"cora@{Domain}");

        landed.RequestMessage!.RequestUri!.AbsolutePath.Should().NotStartWith("/Account");
        (await AccountAsync($"cora@{Domain}")).Role.Should().Be(OrganizationRole.Member);
    }

    [Fact]
    public async Task The_client_secret_never_appears_in_an_api_response_a_page_or_a_log()
    {
        var saved = await (await ConfigureAsync()).Content.ReadAsStringAsync();
        var read = await owner.GetStringAsync($"/api/organizations/{organizationId}/sso");
        provider.AddUser($"sara@{Domain}", ProviderPassword, "Sara Secret");
        using var browser = Browser();
        await SignInThroughProviderAsync(browser, $"sara@{Domain}");
        var ownerBrowser = Browser();
        (await PostLoginFormAsync(ownerBrowser, $"olivia@{Domain}", ApiFactory.Password)).RequestMessage!.RequestUri!.AbsolutePath.Should().NotBe("/Account/Login");
        var page = await ownerBrowser.GetStringAsync($"{BaseUrl}/organizations/{organizationId}/settings/security");
        var openApi = await owner.GetStringAsync("/openapi/v1.json");

        saved.Should().Contain("\"clientSecretSet\":true").And.NotContain(Secret);
        read.Should().NotContain(Secret);
        page.Should().Contain("Single sign-on").And.NotContain(Secret);
        openApi.Should().Contain("/api/organizations/{orgId}/sso");
        logs.Should().NotBeEmpty("the app logged at Debug level throughout");
        logs.Should().NotContain(line => line.Contains(Secret));
    }
}
