using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Api;

[Trait(TestDatabase.Trait, TestDatabase.Independent)]
public sealed partial class OpenApiAndLimitsTests
{
    [GeneratedRegex(@"\{(\w+)(:[^}]*)?\}")]
    private static partial Regex RouteParameter();

    [Fact]
    public async Task The_openapi_document_lists_every_api_endpoint_with_its_methods()
    {
        using var factory = new ApiFactory();
        using var client = factory.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .ToList();
        endpoints.Should().HaveCountGreaterThan(20);
        foreach (var endpoint in endpoints)
        {
            var path = RouteParameter().Replace(endpoint.RoutePattern.RawText!.TrimEnd('/'), "{$1}");
            paths.TryGetProperty(path, out var operations).Should().BeTrue($"{path} is an API endpoint");
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
            {
                operations.TryGetProperty(method.ToLowerInvariant(), out _).Should().BeTrue($"{method} {path} is mapped");
            }
        }

        paths.EnumerateObject().Select(p => p.Name).Should().NotContain(p => p.StartsWith("/Account", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_reference_page_is_served()
    {
        using var factory = new ApiFactory();
        using var client = factory.CreateClient();

        var page = await client.GetStringAsync("/api-reference/");

        page.Should().Contain("MultiOrg API reference");
    }

    [Fact]
    public async Task Sign_in_attempts_beyond_the_limit_get_429_with_retry_after()
    {
        using var factory = new ApiFactory(new Dictionary<string, string> { ["RateLimits:SignInPerMinute"] = "3" });
        using var client = factory.CreateClient();

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            last = await client.PostAsJsonAsync("/api/auth/login", new { email = "nobody@example.test", password = "Wrong!Passw0rd" });
            statuses.Add(last.StatusCode);
        }

        statuses.Should().Equal(HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests);
        last!.Headers.RetryAfter!.Delta.Should().BeGreaterThan(TimeSpan.Zero).And.BeLessThanOrEqualTo(TimeSpan.FromMinutes(1));
        (await last.JsonAsync()).GetProperty("title").GetString().Should().Be("Too many requests");
    }

    [Fact]
    public async Task Trailing_slashes_and_case_variants_of_the_sign_in_routes_share_the_sign_in_limit()
    {
        using var factory = new ApiFactory(new Dictionary<string, string> { ["RateLimits:SignInPerMinute"] = "3" });
        using var client = factory.CreateClient();
        var wrong = new { email = "nobody@example.test", password = "Wrong!Passw0rd" };

        var counted = new List<HttpStatusCode>
        {
            (await client.PostAsJsonAsync("/api/auth/login/", wrong)).StatusCode,
            (await client.PostAsJsonAsync("/API/Auth/LOGIN", wrong)).StatusCode,
            (await client.PostAsync("/account/login/", new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.Email"] = "x" }))).StatusCode,
        };
        var beyond = new List<HttpStatusCode>
        {
            (await client.PostAsJsonAsync("/api/auth/login", wrong)).StatusCode,
            (await client.PostAsJsonAsync("/Api/Auth/Login/", wrong)).StatusCode,
            (await client.PostAsync("/ACCOUNT/LOGIN/", new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.Email"] = "x" }))).StatusCode,
            (await client.PostAsync("/Account/LoginWith2fa/", new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.TwoFactorCode"] = "123456" }))).StatusCode,
        };

        counted.Should().NotContain(HttpStatusCode.TooManyRequests, "three attempts are within the limit, however the route is spelled");
        beyond.Should().AllBeEquivalentTo(HttpStatusCode.TooManyRequests, "every spelling of the sign-in routes, page and API, counts against one limit");
        (await client.GetAsync("/Account/Login")).StatusCode.Should().Be(HttpStatusCode.OK, "showing the sign-in page is not an attempt");
    }

    [Fact]
    public async Task Requests_with_one_api_key_beyond_its_limit_get_429()
    {
        using var factory = new ApiFactory(new Dictionary<string, string> { ["RateLimits:ApiKeyPerMinute"] = "2" });
        var owner = await factory.RegisterAsync("limited");
        var id = await owner.CreateOrganizationAsync("Limited");
        var created = await (await owner.Client.PostAsJsonAsync($"/api/organizations/{id}/api-keys", new { name = "busy", role = "MEMBER" })).JsonAsync();
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.GetProperty("secret").GetString());

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await client.GetAsync($"/api/organizations/{id}")).StatusCode);
        }

        statuses.Should().Equal(HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests);
        (await owner.Client.GetAsync($"/api/organizations/{id}")).StatusCode.Should().Be(HttpStatusCode.OK, "user tokens are not limited by a key's budget");
    }
}
