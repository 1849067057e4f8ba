using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Security;

/// <summary>Registration and password reset are limited per client address like sign-in, and reset never tells who exists.</summary>
[Trait(TestDatabase.Trait, TestDatabase.Independent)]
public sealed partial class AccountLimitsTests
{
    private static Dictionary<string, string> Limit(int perMinute) => new() { ["RateLimits:AccountPerMinute"] = perMinute.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    private static Task<HttpResponseMessage> RegisterAsync(HttpClient client) =>
        client.PostAsJsonAsync("/api/auth/register", new { email = $"new.{Guid.NewGuid():N}@example.test", password = ApiFactory.Password });

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.ToDictionary(f => f.Key, f => f.Value));

    [Fact]
    public async Task Registrations_beyond_the_limit_from_one_address_get_429_on_the_api_and_the_page()
    {
        using var factory = new ApiFactory(Limit(3));
        using var client = factory.CreateClient();

        var counted = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            counted.Add((await RegisterAsync(client)).StatusCode);
        }

        var api = await RegisterAsync(client);
        var page = await client.PostAsync("/Account/Register", Form(("Input.Email", "x@example.test")));
        var pageWithSlash = await client.PostAsync("/ACCOUNT/REGISTER/", Form(("Input.Email", "x@example.test")));

        counted.Should().AllBeEquivalentTo(HttpStatusCode.OK, "three registrations a minute are within the limit");
        api.StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "the fourth registration from one address is refused");
        api.Headers.RetryAfter!.Delta.Should().BeGreaterThan(TimeSpan.Zero).And.BeLessThanOrEqualTo(TimeSpan.FromMinutes(1));
        page.StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "the register page's POST shares the API's limit");
        pageWithSlash.StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "however the route is spelled");
        (await client.GetAsync("/Account/Register")).StatusCode.Should().Be(HttpStatusCode.OK, "showing the form is not an attempt");
    }

    [Fact]
    public async Task Password_resets_beyond_the_limit_from_one_address_get_429_on_the_api_and_the_pages()
    {
        using var factory = new ApiFactory(Limit(3));
        using var client = factory.CreateClient();

        var counted = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            counted.Add((await client.PostAsJsonAsync("/api/auth/forgotPassword", new { email = $"someone.{i}@example.test" })).StatusCode);
        }

        var beyond = new Dictionary<string, HttpStatusCode>
        {
            ["API forgotPassword"] = (await client.PostAsJsonAsync("/api/auth/forgotPassword", new { email = "someone@example.test" })).StatusCode,
            ["API resetPassword"] = (await client.PostAsJsonAsync("/api/auth/resetPassword", new { email = "someone@example.test", resetCode = "x", newPassword = ApiFactory.Password })).StatusCode,
            ["forgot password page"] = (await client.PostAsync("/Account/ForgotPassword", Form(("Input.Email", "someone@example.test")))).StatusCode,
            ["reset password page"] = (await client.PostAsync("/Account/ResetPassword/", Form(("Input.Email", "someone@example.test")))).StatusCode,
        };

        counted.Should().AllBeEquivalentTo(HttpStatusCode.OK, "three reset requests a minute are within the limit");
        beyond.Should().AllSatisfy(b => b.Value.Should().Be(HttpStatusCode.TooManyRequests, $"{b.Key} counts against the one account limit"));
        (await client.GetAsync("/Account/ForgotPassword")).StatusCode.Should().Be(HttpStatusCode.OK, "showing the form is not an attempt");
    }

    [Fact]
    public async Task Sign_ins_and_account_requests_have_separate_windows()
    {
        using var factory = new ApiFactory(new Dictionary<string, string> { ["RateLimits:AccountPerMinute"] = "1", ["RateLimits:SignInPerMinute"] = "1" });
        using var client = factory.CreateClient();

        (await RegisterAsync(client)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.PostAsJsonAsync("/api/auth/login", new { email = "nobody@example.test", password = "Wrong!Passw0rd" })).StatusCode
            .Should().Be(HttpStatusCode.Unauthorized, "a registration does not use up the sign-in window");
    }

    [Fact]
    public async Task Password_reset_answers_the_same_for_a_known_and_an_unknown_address()
    {
        using var factory = new ApiFactory();
        var known = await factory.RegisterAsync("known");
        var unknown = $"unknown.{Guid.NewGuid():N}@example.test";
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var apiKnown = await client.PostAsJsonAsync("/api/auth/forgotPassword", new { email = known.Email });
        var apiUnknown = await client.PostAsJsonAsync("/api/auth/forgotPassword", new { email = unknown });
        var pageKnown = await PostFormAsync(client, "/Account/ForgotPassword", "forgot-password", known.Email);
        var pageUnknown = await PostFormAsync(client, "/Account/ForgotPassword", "forgot-password", unknown);

        apiKnown.StatusCode.Should().Be(HttpStatusCode.OK);
        apiUnknown.StatusCode.Should().Be(apiKnown.StatusCode, "the API does not tell whether an account exists");
        (await apiUnknown.Content.ReadAsStringAsync()).Should().Be(await apiKnown.Content.ReadAsStringAsync());
        pageKnown.StatusCode.Should().Be(HttpStatusCode.Redirect);
        pageUnknown.StatusCode.Should().Be(pageKnown.StatusCode, "the page does not tell whether an account exists");
        pageUnknown.Headers.Location.Should().Be(pageKnown.Headers.Location);
        pageKnown.Headers.Location!.ToString().Should().Contain("ForgotPasswordConfirmation");
    }

    /// <summary>The statically rendered form as a browser posts it (antiforgery token included).</summary>
    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, string handler, string email)
    {
        var html = await client.GetStringAsync(path);
        var token = AntiforgeryField().Match(html);
        token.Success.Should().BeTrue($"the form carries an antiforgery token: {html}");
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = Form(("__RequestVerificationToken", WebUtility.HtmlDecode(token.Groups[1].Value)), ("_handler", handler), ("Input.Email", email)),
        };
        return await client.SendAsync(request);
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
