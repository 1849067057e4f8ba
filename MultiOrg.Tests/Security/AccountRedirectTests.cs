using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Security;

/// <summary>Where the account pages send a person whatever the link carried: a redirect on this site, never a 500.</summary>
[Trait(TestDatabase.Trait, TestDatabase.Independent)]
public sealed partial class AccountRedirectTests : IDisposable
{
    private const string KanaRepeatMark = "/\u3031evil.example";

    private readonly ApiFactory factory = new();

    public void Dispose() => factory.Dispose();

    private HttpClient Browser() => factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    [Fact]
    public async Task Signing_out_with_a_non_ascii_return_url_redirects_to_the_root()
    {
        using var browser = Browser();
        var token = await AntiforgeryTokenAsync(browser, "/Account/Login");

        var response = await browser.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["ReturnUrl"] = KanaRepeatMark,
        }));

        response.StatusCode.Should().Be(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        response.Headers.Location!.OriginalString.Should().Be("/");
    }

    [Fact]
    public async Task Signing_in_with_a_non_ascii_return_url_redirects_to_the_root()
    {
        var user = await factory.RegisterAsync("kana");
        using var browser = Browser();
        var page = "/Account/Login?ReturnUrl=" + Uri.EscapeDataString(KanaRepeatMark);
        var token = await AntiforgeryTokenAsync(browser, page);

        var response = await browser.PostAsync(page, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["_handler"] = "login",
            ["Input.Email"] = user.Email,
            ["Input.Password"] = ApiFactory.Password,
        }));

        response.StatusCode.Should().Be(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        PathOf(response).Should().Be("/");
    }

    [Theory]
    [InlineData("/Account/LoginWith2fa")]
    [InlineData("/Account/LoginWithRecoveryCode")]
    public async Task A_second_factor_page_opened_without_a_first_sign_in_redirects_to_the_sign_in_page(string path)
    {
        using var browser = Browser();

        var response = await browser.GetAsync(path + "?ReturnUrl=%2Forganizations");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        PathOf(response).Should().Be("/Account/Login");
    }

    private static string PathOf(HttpResponseMessage response) => new Uri(new Uri("http://localhost/"), response.Headers.Location!).AbsolutePath;

    private static async Task<string> AntiforgeryTokenAsync(HttpClient browser, string page)
    {
        var form = await browser.GetStringAsync(page);
        var token = AntiforgeryField().Match(form);
        token.Success.Should().BeTrue($"the form carries an antiforgery token: {form}");
        return WebUtility.HtmlDecode(token.Groups[1].Value);
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
