using System.Net;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Hosting;

/// <summary>Security headers on every kind of response: pages, the API, errors, static files, health, the logo.</summary>
[Trait(TestDatabase.Trait, TestDatabase.Independent)]
public sealed class SecurityHeadersTests : IDisposable
{
    private readonly ApiFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task Every_response_says_nosniff_refuses_framing_and_carries_the_content_security_policy()
    {
        var owner = await factory.RegisterAsync("headers");
        var organizationId = await owner.CreateOrganizationAsync("Headed");
        using var anonymous = factory.CreateClient();

        var responses = new Dictionary<string, HttpResponseMessage>
        {
            ["page"] = await anonymous.GetAsync("/Account/Login"),
            ["missing page"] = await anonymous.GetAsync("/no-such-page"),
            ["api"] = await owner.Client.GetAsync($"/api/organizations/{organizationId}"),
            ["api refusal"] = await anonymous.GetAsync("/api/auth/me"),
            ["logo"] = await owner.Client.GetAsync($"/organizations/{organizationId}/logo"),
            ["static file"] = await anonymous.GetAsync("/app.js"),
            ["health"] = await anonymous.GetAsync("/health"),
        };

        foreach (var (what, response) in responses)
        {
            var headers = response.Headers;
            headers.GetValues("X-Content-Type-Options").Should().Equal(["nosniff"], what);
            headers.GetValues("X-Frame-Options").Should().Equal(["DENY"], what);
            headers.GetValues("Referrer-Policy").Should().Equal(["strict-origin-when-cross-origin"], what);
            var csp = headers.GetValues("Content-Security-Policy").Single();
            csp.Should().Contain("frame-ancestors 'none'", what).And.Contain("object-src 'none'", what);
            ScriptSource(csp).Should().Contain("'self'", what).And.NotContain("'unsafe-inline'", $"{what}: pages run no inline script but the nonced import map");
        }
    }

    [Fact]
    public async Task The_import_map_carries_the_nonce_the_policy_allows()
    {
        using var anonymous = factory.CreateClient();

        var response = await anonymous.GetAsync("/Account/Login");
        var html = await response.Content.ReadAsStringAsync();

        var nonce = ScriptSource(response.Headers.GetValues("Content-Security-Policy").Single()).Split(' ')
            .Single(s => s.StartsWith("'nonce-", StringComparison.Ordinal))["'nonce-".Length..^1];
        var inlineScripts = System.Text.RegularExpressions.Regex.Matches(html, "<script(?![^>]*\\bsrc=)[^>]*>").Select(m => m.Value).ToList();
        inlineScripts.Should().ContainSingle(tag => tag.StartsWith("<script type=\"importmap\"", StringComparison.Ordinal));
        inlineScripts.Should().OnlyContain(tag => WebUtility.HtmlDecode(tag).Contains($"nonce=\"{nonce}\"", StringComparison.Ordinal),
            "every inline script is the import map, with this response's nonce");
    }

    [Fact]
    public async Task The_api_reference_page_has_its_own_policy_with_framing_still_refused()
    {
        using var anonymous = factory.CreateClient();

        var response = await anonymous.GetAsync("/api-reference/");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues("X-Content-Type-Options").Should().Equal(["nosniff"]);
        response.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("frame-ancestors 'none'");
    }

    private static string ScriptSource(string csp) =>
        csp.Split(';', StringSplitOptions.TrimEntries).Single(d => d.StartsWith("script-src ", StringComparison.Ordinal));
}
