using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Authentication;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace MultiOrg.Tests.Harness;

/// <summary>
/// The MCP SDK's own client with its OAuth support against an assistant URL: it reads the 401, discovers the metadata,
/// registers itself and sends the person to the authorization endpoint. The person's part (sign-in and consent) is
/// <see cref="Consent"/>: a browser in the Chromium journeys, plain HTTP with the person's cookie here.
/// </summary>
public sealed class AssistantOAuth
{
    /// <summary>Where the assistant would listen for the answer (nothing listens: the consent step reads the redirect).</summary>
    public static readonly Uri RedirectUri = new("http://127.0.0.1:53682/callback");

    /// <summary>The person's answer: given the authorization URL, returns the redirect the server sent back (or null: no answer).</summary>
    public required Func<Uri, Task<Uri?>> Consent { get; set; }

    public RecordingTokenCache Tokens { get; } = new();

    /// <summary>How many times the client sent the person to the authorization endpoint.</summary>
    public int Authorizations { get; private set; }

    public string ClientName { get; init; } = "Test assistant";

    public async Task<McpClient> ConnectAsync(HttpClient http, Uri endpoint)
    {
        var transport = new HttpClientTransport(
            new HttpClientTransportOptions
            {
                Endpoint = endpoint,
                TransportMode = HttpTransportMode.StreamableHttp,
                OAuth = new ClientOAuthOptions
                {
                    RedirectUri = RedirectUri,
                    DynamicClientRegistration = new DynamicClientRegistrationOptions { ClientName = ClientName },
                    TokenCache = Tokens,
                    AuthorizationCallbackHandler = async (context, _) =>
                    {
                        Authorizations++;
                        var answer = await Consent(context.AuthorizationUri);
                        if (answer is null)
                        {
                            return null;
                        }

                        var query = System.Web.HttpUtility.ParseQueryString(answer.Query);
                        return new AuthorizationResult { Code = query["code"], State = query["state"], Iss = query["iss"] };
                    },
                },
            },
            http,
            ownsHttpClient: false);
        return await McpClient.CreateAsync(transport);
    }

    /// <summary>
    /// The consent step over HTTP with a client carrying the person's sign-in cookie (no automatic redirects): the
    /// authorization endpoint sends it to the consent page, whose form (hidden fields and antiforgery token) it posts
    /// with Allow and the extra organizations; the answer is the redirect to the assistant.
    /// </summary>
    public static Func<Uri, Task<Uri?>> ConsentOverHttp(HttpClient person, params Guid[] alsoGrant) => async authorization =>
    {
        var fields = (await RawAssistant.ConsentFormAsync(person, authorization.PathAndQuery))
            .Append(new("decision", "allow"))
            .Concat(alsoGrant.Select(id => new KeyValuePair<string, string>("organization", id.ToString())))
            .ToList();
        var answer = await person.PostAsync("/oauth/authorize", new FormUrlEncodedContent(fields));
        answer.StatusCode.Should().Be(HttpStatusCode.Redirect, await answer.Content.ReadAsStringAsync());
        return answer.Headers.Location;
    };

    public static async Task<JsonElement> CallAsync(McpClient client, string tool, Dictionary<string, object?>? arguments = null)
    {
        var result = await client.CallToolAsync(tool, arguments ?? []);
        result.IsError.Should().NotBe(true, string.Join(" ", result.Content.OfType<TextContentBlock>().Select(t => t.Text)));
        return JsonDocument.Parse(result.Content.OfType<TextContentBlock>().Single().Text).RootElement;
    }

    public static async Task<string> ErrorOfAsync(McpClient client, string tool, Dictionary<string, object?>? arguments = null)
    {
        try
        {
            var result = await client.CallToolAsync(tool, arguments ?? []);
            result.IsError.Should().BeTrue();
            return string.Join(" ", result.Content.OfType<TextContentBlock>().Select(t => t.Text));
        }
        catch (McpException error)
        {
            return error.Message;
        }
    }
}

/// <summary>The SDK's token store, kept where a test can read the tokens and age them (the next call then refreshes).</summary>
public sealed class RecordingTokenCache : ITokenCache
{
    private TokenContainer? tokens;

    public List<TokenContainer> Stored { get; } = [];

    public TokenContainer? Current => tokens;

    public ValueTask StoreTokensAsync(TokenContainer tokens, CancellationToken cancellationToken)
    {
        this.tokens = tokens;
        Stored.Add(tokens);
        return default;
    }

    public ValueTask<TokenContainer?> GetTokensAsync(CancellationToken cancellationToken) => new(tokens);

    /// <summary>Makes the access token look expired to the client, as an hour later.</summary>
    public void Age() => tokens!.ObtainedAt = DateTimeOffset.UtcNow.AddHours(-2);
}

/// <summary>People of the test host connecting assistants.</summary>
public static class AssistantPeople
{
    /// <summary>A client carrying the person's sign-in cookie (as their browser would), following no redirects.</summary>
    public static async Task<HttpClient> BrowserOfAsync(this ApiFactory factory, ApiUser person)
    {
        var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var login = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(client, "/api/auth/login?useCookies=true", new { email = person.Email, password = ApiFactory.Password });
        login.EnsureSuccessStatusCode();
        return client;
    }

    /// <summary>The SDK's client connected to <c>/mcp/{organizationId}</c> as the person, who allowed it (and the extra organizations).</summary>
    public static async Task<(McpClient Client, AssistantOAuth OAuth)> ConnectAssistantAsync(this ApiFactory factory, ApiUser person, Guid organizationId, params Guid[] alsoGrant)
    {
        var browser = await factory.BrowserOfAsync(person);
        var oauth = new AssistantOAuth { Consent = AssistantOAuth.ConsentOverHttp(browser, alsoGrant) };
        var http = factory.CreateClient();
        var client = await oauth.ConnectAsync(http, new Uri(http.BaseAddress!, $"/mcp/{organizationId}"));
        return (client, oauth);
    }

    /// <summary>An assistant access token of the person for the organization's endpoint (for raw requests).</summary>
    public static async Task<string> AssistantTokenAsync(this ApiFactory factory, ApiUser person, Guid organizationId)
    {
        var (client, oauth) = await factory.ConnectAssistantAsync(person, organizationId);
        await client.DisposeAsync();
        return oauth.Tokens.Current!.AccessToken;
    }

    /// <summary>The person's assistant connections, as Your account lists them.</summary>
    public static async Task<IReadOnlyList<MultiOrg.Web.Features.Assistant.AssistantGrantView>> AssistantGrantsOfAsync(this ApiFactory factory, ApiUser person)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<MultiOrg.Domain.Tenancy.TenantContext>().SetUser(person.Id);
        return await scope.ServiceProvider.GetRequiredService<MultiOrg.Web.Features.Assistant.AssistantGrants>().ListMineAsync();
    }

    /// <summary>The person revokes their connections to the named client (all of them when none is named), as on Your account.</summary>
    public static async Task RevokeAssistantsAsync(this ApiFactory factory, ApiUser person, string? clientName = null)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<MultiOrg.Domain.Tenancy.TenantContext>().SetUser(person.Id);
        var grants = scope.ServiceProvider.GetRequiredService<MultiOrg.Web.Features.Assistant.AssistantGrants>();
        foreach (var grant in (await grants.ListMineAsync()).Where(g => clientName is null || g.ClientName == clientName))
        {
            await grants.RevokeMineAsync(grant.Id);
        }
    }
}
