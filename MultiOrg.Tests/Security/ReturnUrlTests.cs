using MultiOrg.Web.Features.Security;

namespace MultiOrg.Tests.Security;

/// <summary>The one return-URL check: whatever a crafted link carries, the person stays on this site.</summary>
public sealed class ReturnUrlTests
{
    public static TheoryData<string> OffSite => new()
    {
        "/\t/evil.example",        // ?returnUrl=/%09/evil.example: browsers drop the tab and read //evil.example
        "/\n/evil.example",
        "/\r\n/evil.example",
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "\\/evil.example",
        "https://evil.example/",
        "http:evil.example",
        "javascript:alert(1)",
        "\t//evil.example",
        "~//evil.example",
        "~/\\evil.example",
    };

    [Theory]
    [MemberData(nameof(OffSite))]
    public void A_return_url_that_a_browser_would_open_on_another_site_is_not_local(string url)
    {
        ReturnUrls.LocalOnly(url).Should().BeNull();
        ReturnUrls.LocalOrRoot(url).Should().Be("/");
        ReturnUrls.LocalOrRoot(url, "http://localhost:5172/").Should().Be("/");
    }

    public static TheoryData<string> NotAscii => new()
    {
        "/\u3031evil.example",     // 〱 (vertical kana repeat mark): some browsers read it as a slash, so "//evil.example"
        "/\u309Devil.example",
        "/organizations/\u00e9t\u00e9",  // no Location header carries non-ASCII: the redirect itself answered 500
        "/\u0000evil.example",
        "/\u007fevil.example",
        "/\u0085/evil.example",
        "/\u2028/evil.example",
    };

    [Theory]
    [MemberData(nameof(NotAscii))]
    public void A_return_url_with_a_non_ascii_or_control_character_falls_back_to_the_root(string url)
    {
        ReturnUrls.LocalOnly(url).Should().BeNull();
        ReturnUrls.LocalOrRoot(url).Should().Be("/");
        ReturnUrls.LocalOrRoot(url, "http://localhost:5172/").Should().Be("/");
        ReturnUrls.LocalOrRoot(url.TrimStart('/'), "http://localhost:5172/").Should().Be("/");
    }

    [Theory]
    [InlineData("/organizations/5f0e/dashboard", "/organizations/5f0e/dashboard")]
    [InlineData("/Account/Manage?tab=2", "/Account/Manage?tab=2")]
    [InlineData("/", "/")]
    [InlineData("~/organizations", "/organizations")]
    public void A_path_of_this_site_is_kept(string url, string expected)
    {
        ReturnUrls.LocalOnly(url).Should().Be(expected);
        ReturnUrls.LocalOrRoot(url).Should().Be(expected);
    }

    [Theory]
    [InlineData("Account/Manage/TwoFactorAuthentication", "/Account/Manage/TwoFactorAuthentication")]
    [InlineData("http://localhost:5172/organizations/5f0e/members", "/organizations/5f0e/members")]
    [InlineData("", "/")]
    [InlineData(null, "/")]
    public void The_account_pages_redirect_targets_become_paths_of_this_site(string? url, string expected) =>
        ReturnUrls.LocalOrRoot(url, "http://localhost:5172/").Should().Be(expected);
}
