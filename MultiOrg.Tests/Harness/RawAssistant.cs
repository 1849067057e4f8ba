using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace MultiOrg.Tests.Harness;

/// <summary>
/// An assistant's OAuth steps by hand (registration, authorization request, code exchange), for what the SDK's client
/// would never send: <c>prompt=none</c>, a forged consent, a foreign Host. PKCE uses RFC 7636's example pair.
/// </summary>
public sealed class RawAssistant
{
    public const string Verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    public const string Challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    /// <summary>Nothing listens there: a test reads the redirect the server answers with.</summary>
    public const string Redirect = "http://127.0.0.1:9/cb";

    private RawAssistant(string clientId) => ClientId = clientId;

    public string ClientId { get; }

    /// <summary>Registers a public client (PKCE only) whose one redirect address is <see cref="Redirect"/>.</summary>
    public static async Task<RawAssistant> RegisterAsync(HttpClient http, string name = "Raw assistant")
    {
        var registered = await http.PostAsJsonAsync("/oauth/register", new { redirect_uris = new[] { Redirect }, client_name = name, token_endpoint_auth_method = "none" });
        registered.StatusCode.Should().Be(HttpStatusCode.Created, await registered.Content.ReadAsStringAsync());
        return new((await registered.JsonAsync()).GetProperty("client_id").GetString()!);
    }

    /// <summary>The authorization request (path and query) for <paramref name="resource"/>, with <c>state=s</c>.</summary>
    public string Authorize(string resource, string? prompt = null) =>
        $"/oauth/authorize?response_type=code&client_id={ClientId}&redirect_uri={Uri.EscapeDataString(Redirect)}&state=s"
        + $"&code_challenge={Challenge}&code_challenge_method=S256&resource={Uri.EscapeDataString(resource)}"
        + (prompt is null ? "" : $"&prompt={prompt}");

    public Task<HttpResponseMessage> ExchangeAsync(HttpClient http, string code) =>
        http.PostAsync("/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["client_id"] = ClientId, ["redirect_uri"] = Redirect, ["code_verifier"] = Verifier,
        }));

    /// <summary>The OAuth parameters of a redirect the server sent to the assistant (code, state, error, iss).</summary>
    public static System.Collections.Specialized.NameValueCollection AnswerOf(HttpResponseMessage response)
    {
        var location = response.Headers.Location;
        ((int)response.StatusCode).Should().BeInRange(300, 399, $"the server answers the assistant with a redirect, not {(int)response.StatusCode}");
        location!.GetLeftPart(UriPartial.Path).Should().Be(Redirect, "the answer goes to the registered redirect address only");
        return System.Web.HttpUtility.ParseQueryString(location.Query);
    }

    /// <summary>
    /// What the person's browser (a client with their sign-in cookie, following no redirects) posts from the consent page:
    /// its hidden fields, antiforgery token included, before a decision is added.
    /// </summary>
    public static async Task<List<KeyValuePair<string, string>>> ConsentFormAsync(HttpClient person, string authorization)
    {
        var toConsent = await person.GetAsync(authorization);
        toConsent.StatusCode.Should().Be(HttpStatusCode.Redirect, await toConsent.Content.ReadAsStringAsync());
        var page = await person.GetStringAsync(toConsent.Headers.Location!.OriginalString);
        var fields = Regex.Matches(page, "<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\"")
            .Select(m => new KeyValuePair<string, string>(WebUtility.HtmlDecode(m.Groups[1].Value), WebUtility.HtmlDecode(m.Groups[2].Value)))
            .ToList();
        fields.Should().Contain(f => f.Key == "__RequestVerificationToken", page);
        return fields;
    }
}
