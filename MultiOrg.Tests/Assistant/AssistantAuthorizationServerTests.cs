using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Assistant;

/// <summary>
/// The authorization server's edges, sent by hand as an outsider would: a forged consent, <c>prompt=none</c>, a foreign
/// Host header, parameters the SDK's client would never send. What the SDK's client does is <see cref="AssistantOAuthTests"/>.
/// </summary>
public sealed class AssistantAuthorizationServerTests : IClassFixture<AssistantOAuthTests.World>
{
    private static readonly WebApplicationFactoryClientOptions NoRedirects = new() { AllowAutoRedirect = false };

    private readonly AssistantOAuthTests.World world;

    public AssistantAuthorizationServerTests(AssistantOAuthTests.World world) => this.world = world;

    [Fact]
    public async Task A_consent_post_without_its_antiforgery_token_or_with_another_persons_is_refused_with_400_and_no_code()
    {
        var id = await world.Owner.CreateOrganizationAsync("Forged consent");
        await world.Owner.AddMemberAsync(id, world.Member, "MEMBER");
        using var anonymous = world.Factory.CreateClient(NoRedirects);
        var assistant = await RawAssistant.RegisterAsync(anonymous);
        var authorize = assistant.Authorize($"http://localhost/mcp/{id}");
        using var owner = await world.Factory.BrowserOfAsync(world.Owner);
        using var member = await world.Factory.BrowserOfAsync(world.Member);
        var ownersForm = await RawAssistant.ConsentFormAsync(owner, authorize);
        var membersForm = await RawAssistant.ConsentFormAsync(member, authorize);
        static FormUrlEncodedContent Allow(IEnumerable<KeyValuePair<string, string>> fields) => new([.. fields, new("decision", "allow")]);

        var missing = await owner.PostAsync("/oauth/authorize", Allow(ownersForm.Where(f => f.Key != "__RequestVerificationToken")));
        var foreign = await owner.PostAsync("/oauth/authorize", Allow(membersForm));
        var own = await owner.PostAsync("/oauth/authorize", Allow(ownersForm));

        foreach (var refused in new[] { missing, foreign })
        {
            refused.StatusCode.Should().Be(HttpStatusCode.BadRequest, await refused.Content.ReadAsStringAsync());
            refused.Headers.Location.Should().BeNull("a forged decision never reaches the assistant");
            (await refused.Content.ReadAsStringAsync()).Should().Contain("consent form").And.Contain("antiforgery");
        }

        RawAssistant.AnswerOf(own)["code"].Should().NotBeNullOrEmpty("the person's own form still works");
    }

    [Fact]
    public async Task Prompt_none_answers_login_required_or_consent_required_to_the_assistant_instead_of_showing_a_page()
    {
        var id = await world.Owner.CreateOrganizationAsync("Prompt none");
        using var anonymous = world.Factory.CreateClient(NoRedirects);
        var assistant = await RawAssistant.RegisterAsync(anonymous);
        using var owner = await world.Factory.BrowserOfAsync(world.Owner);

        var signedOut = RawAssistant.AnswerOf(await anonymous.GetAsync(assistant.Authorize($"http://localhost/mcp/{id}", prompt: "none")));
        var noGrant = RawAssistant.AnswerOf(await owner.GetAsync(assistant.Authorize($"http://localhost/mcp/{id}", prompt: "none")));

        signedOut["error"].Should().Be("login_required");
        signedOut["state"].Should().Be("s");
        noGrant["error"].Should().Be("consent_required");
        noGrant["state"].Should().Be("s");
        noGrant["code"].Should().BeNull();
    }

    [Fact]
    public async Task Prompt_none_issues_silently_only_within_a_standing_grant_of_that_client_and_person()
    {
        var granted = await world.Owner.CreateOrganizationAsync("Silent granted");
        var notGranted = await world.Owner.CreateOrganizationAsync("Silent not granted");
        var person = await world.Factory.RegisterAsync("silent");
        await world.Owner.AddMemberAsync(granted, person, "MEMBER");
        await world.Owner.AddMemberAsync(notGranted, person, "MEMBER");
        using var anonymous = world.Factory.CreateClient(NoRedirects);
        var assistant = await RawAssistant.RegisterAsync(anonymous);
        var stranger = await RawAssistant.RegisterAsync(anonymous, "Another assistant");
        using var browser = await world.Factory.BrowserOfAsync(person);
        var resource = $"http://localhost/mcp/{granted}";
        var form = await RawAssistant.ConsentFormAsync(browser, assistant.Authorize(resource));
        var allowed = RawAssistant.AnswerOf(await browser.PostAsync("/oauth/authorize", new FormUrlEncodedContent([.. form, new("decision", "allow")])));
        (await ExchangeAsync(anonymous, assistant, allowed["code"])).Should().NotBeNull("the assistant got its tokens, then lost them");
        (await browser.GetAsync(assistant.Authorize(resource))).Headers.Location!.OriginalString.Should()
            .StartWith("/Account/ConnectAssistant", "a request without prompt=none always shows the consent page");

        var silent = RawAssistant.AnswerOf(await browser.GetAsync(assistant.Authorize(resource, prompt: "none")));
        var token = await ExchangeAsync(anonymous, assistant, silent["code"]);
        var onGranted = await anonymous.SendAsync(McpRequests.JsonRpc(granted, "initialize", bearer: token));
        var otherOrganization = RawAssistant.AnswerOf(await browser.GetAsync(assistant.Authorize($"http://localhost/mcp/{notGranted}", prompt: "none")));
        var otherClient = RawAssistant.AnswerOf(await browser.GetAsync(stranger.Authorize(resource, prompt: "none")));
        var grants = await world.Factory.AssistantGrantsOfAsync(person);

        silent["code"].Should().NotBeNullOrEmpty($"the person allowed this client in this organization (answer: {silent})");
        silent["iss"].Should().Be("http://localhost/");
        onGranted.StatusCode.Should().Be(HttpStatusCode.OK);
        otherOrganization["error"].Should().Be("consent_required", "the grant does not cover that organization");
        otherClient["error"].Should().Be("consent_required", "another client's request is never covered by this one's grant");
        grants.Should().ContainSingle("the silent answer adds to the standing grant, it makes no new one");

        (await world.Owner.Client.PostAsync($"/api/organizations/{granted}/security/members/{person.Id}/sign-out-everywhere", null)).EnsureSuccessStatusCode();
        using var signedInAgain = await world.Factory.BrowserOfAsync(person);
        var afterSignOut = RawAssistant.AnswerOf(await signedInAgain.GetAsync(assistant.Authorize(resource, prompt: "none")));
        afterSignOut["error"].Should().Be("consent_required", "signing out everywhere ends the grant: the person must allow again");

        var again = await RawAssistant.ConsentFormAsync(signedInAgain, assistant.Authorize(resource));
        RawAssistant.AnswerOf(await signedInAgain.PostAsync("/oauth/authorize", new FormUrlEncodedContent([.. again, new("decision", "allow")])))["code"].Should().NotBeNull();
        await world.Factory.RevokeAssistantsAsync(person);
        var afterRevoke = RawAssistant.AnswerOf(await signedInAgain.GetAsync(assistant.Authorize(resource, prompt: "none")));
        afterRevoke["error"].Should().Be("consent_required", "a revoked grant covers nothing");
    }

    [Fact]
    public async Task The_issuer_and_every_address_the_server_advertises_come_from_the_public_address_not_the_host_header()
    {
        await using var factory = new ApiFactory(new Dictionary<string, string> { ["App:PublicBaseUrl"] = "https://multiorg.example/", ["AllowedHosts"] = "*" });
        var owner = await factory.RegisterAsync("issuer");
        var id = await owner.CreateOrganizationAsync("Issuer");
        using var foreign = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("http://evil.example/") });
        var resource = $"https://multiorg.example/mcp/{id}";

        var server = await foreign.GetFromJsonAsync<JsonElement>("/.well-known/oauth-authorization-server");
        var protectedResource = await foreign.GetFromJsonAsync<JsonElement>($"/.well-known/oauth-protected-resource/mcp/{id}");
        var assistant = await RawAssistant.RegisterAsync(foreign);
        using var browser = await factory.BrowserOfAsync(owner);
        var foreignResource = await browser.GetAsync(assistant.Authorize($"http://localhost/mcp/{id}"));
        var form = await RawAssistant.ConsentFormAsync(browser, assistant.Authorize(resource));
        var answer = RawAssistant.AnswerOf(await browser.PostAsync("/oauth/authorize", new FormUrlEncodedContent([.. form, new("decision", "allow")])));
        var token = await ExchangeAsync(foreign, assistant, answer["code"]);
        var principal = await factory.Services.GetRequiredService<OpenIddict.Validation.OpenIddictValidationService>().ValidateAccessTokenAsync(token!);
        var onMcp = await foreign.SendAsync(McpRequests.JsonRpc(id, "initialize", bearer: token));

        server.GetProperty("issuer").GetString().Should().Be("https://multiorg.example/");
        foreach (var endpoint in new[] { "authorization_endpoint", "token_endpoint", "registration_endpoint" })
        {
            server.GetProperty(endpoint).GetString().Should().StartWith("https://multiorg.example/oauth/", endpoint);
        }

        protectedResource.GetProperty("resource").GetString().Should().Be(resource);
        protectedResource.GetProperty("authorization_servers").EnumerateArray().Select(s => s.GetString()).Should().Equal("https://multiorg.example/");
        foreignResource.Headers.Location!.OriginalString.Should().Contain("error=invalid_target", "a resource is named by the public address, whatever host the request came to");
        answer["iss"].Should().Be("https://multiorg.example/");
        principal.GetClaim(OpenIddictConstants.Claims.Private.Issuer).Should().Be("https://multiorg.example/", "the token carries the configured issuer");
        principal.GetAudiences().Should().Equal(resource);
        onMcp.StatusCode.Should().Be(HttpStatusCode.OK, "the token's audience is the public address of the endpoint, whatever host the request came to");
    }

    [Fact]
    public async Task The_assistant_endpoints_challenge_names_the_public_address_not_the_host_header()
    {
        await using var factory = new ApiFactory(new Dictionary<string, string> { ["App:PublicBaseUrl"] = "https://multiorg.example/", ["AllowedHosts"] = "*" });
        var owner = await factory.RegisterAsync("challenged");
        var id = await owner.CreateOrganizationAsync("Challenged");
        using var foreign = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("http://evil.example/") });

        var challenge = await foreign.SendAsync(McpRequests.JsonRpc(id, "initialize"));

        challenge.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        challenge.Headers.WwwAuthenticate.ToString().Should()
            .Contain($"resource_metadata=\"https://multiorg.example/.well-known/oauth-protected-resource/mcp/{id}\"").And.NotContain("evil.example");
    }

    [Fact]
    public async Task Authorization_and_exchange_refuse_what_an_outsider_would_try_with_a_registered_client()
    {
        var id = await world.Owner.CreateOrganizationAsync("Outsider");
        var others = await world.Factory.RegisterAsync("others");
        var theirs = await others.CreateOrganizationAsync("Not the owner's");
        using var anonymous = world.Factory.CreateClient(NoRedirects);
        var assistant = await RawAssistant.RegisterAsync(anonymous);
        using var owner = await world.Factory.BrowserOfAsync(world.Owner);
        var authorize = assistant.Authorize($"http://localhost/mcp/{id}");

        var longerRedirect = await owner.GetAsync(authorize.Replace(Uri.EscapeDataString(RawAssistant.Redirect), Uri.EscapeDataString(RawAssistant.Redirect + "/x"), StringComparison.Ordinal));
        var noChallenge = await owner.GetAsync(authorize.Replace($"&code_challenge={RawAssistant.Challenge}&code_challenge_method=S256", "", StringComparison.Ordinal));
        var twoResources = await owner.GetAsync(authorize + $"&resource={Uri.EscapeDataString($"http://localhost/mcp/{theirs}")}");
        var form = await RawAssistant.ConsentFormAsync(owner, authorize);
        var widened = await owner.PostAsync("/oauth/authorize", new FormUrlEncodedContent([.. form, new("decision", "allow"), new("organization", theirs.ToString())]));
        var code = RawAssistant.AnswerOf(await owner.PostAsync("/oauth/authorize", new FormUrlEncodedContent([.. form, new("decision", "allow")])))["code"]!;
        var wrongVerifier = await anonymous.PostAsync("/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["client_id"] = assistant.ClientId, ["redirect_uri"] = RawAssistant.Redirect, ["code_verifier"] = new string('a', 43),
        }));
        var token = await ExchangeAsync(anonymous, assistant, code);
        var replayed = await assistant.ExchangeAsync(anonymous, code);
        var afterReplay = await anonymous.SendAsync(McpRequests.JsonRpc(id, "initialize", bearer: token));

        longerRedirect.StatusCode.Should().Be(HttpStatusCode.BadRequest, "redirect addresses match exactly, not by prefix");
        noChallenge.StatusCode.Should().Be(HttpStatusCode.BadRequest, "PKCE is required");
        twoResources.Headers.Location!.OriginalString.Should().Contain("error=invalid_target", "a grant has exactly one resource");
        RawAssistant.AnswerOf(widened)["error"].Should().Be("access_denied", "the consent form cannot add another person's organization");
        wrongVerifier.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await wrongVerifier.Content.ReadAsStringAsync()).Should().Contain("invalid_grant");
        replayed.StatusCode.Should().Be(HttpStatusCode.BadRequest, "a code works once (a wrong verifier does not spend it: the thief lacks the verifier)");
        afterReplay.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "a replayed code revokes what its first exchange issued");
    }

    private static async Task<string?> ExchangeAsync(HttpClient http, RawAssistant assistant, string? code)
    {
        if (code is null)
        {
            return null;
        }

        var exchanged = await assistant.ExchangeAsync(http, code);
        exchanged.StatusCode.Should().Be(HttpStatusCode.OK, await exchanged.Content.ReadAsStringAsync());
        return (await exchanged.JsonAsync()).GetProperty("access_token").GetString();
    }
}
