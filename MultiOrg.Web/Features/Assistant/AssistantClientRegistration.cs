using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MultiOrg.Web.Features.Assistant;

/// <summary>
/// Dynamic client registration (RFC 7591) for assistants, as the MCP authorization specification allows. Anyone may
/// register, so a registration reaches nothing by itself: the client can only send a person to the consent page and back
/// to one of its own redirect addresses (https, or http on the loopback address of the person's own machine). Sizes are
/// bounded, unknown fields ignored, and registrations are limited per client address (<c>RateLimits:ClientRegistrationPerMinute</c>).
/// </summary>
public static class AssistantClientRegistration
{
    public const int MaxBodyBytes = 16 * 1024;
    public const int MaxRedirectUris = 5;
    public const int MaxUriLength = 512;
    public const int MaxNameLength = 100;

    /// <summary>Every dynamically registered client's id starts so (the clean-up job removes only these).</summary>
    public const string ClientIdPrefix = "mcp_";

    public static void Map(WebApplication app) =>
        app.MapPost(AssistantAuthorization.RegisterPath, RegisterAsync)
            .RequireRateLimiting(Hosting.RateLimits.ClientRegistration)
            .DisableAntiforgery()
            .ExcludeFromDescription();

    private sealed record Request(
        [property: JsonPropertyName("redirect_uris")] string[]? RedirectUris,
        [property: JsonPropertyName("client_name")] string? ClientName,
        [property: JsonPropertyName("token_endpoint_auth_method")] string? TokenEndpointAuthMethod,
        [property: JsonPropertyName("grant_types")] string[]? GrantTypes,
        [property: JsonPropertyName("response_types")] string[]? ResponseTypes);

    private static async Task<IResult> RegisterAsync(HttpContext http, IOpenIddictApplicationManager applications, TimeProvider time)
    {
        if (http.Request.ContentLength is > MaxBodyBytes)
        {
            return Invalid("invalid_client_metadata", $"The registration is larger than {MaxBodyBytes} bytes.");
        }

        Request? request;
        try
        {
            using var body = new MemoryStream();
            var buffer = new byte[4096];
            int read;
            while ((read = await http.Request.Body.ReadAsync(buffer, http.RequestAborted)) > 0)
            {
                if (body.Length + read > MaxBodyBytes)
                {
                    return Invalid("invalid_client_metadata", $"The registration is larger than {MaxBodyBytes} bytes.");
                }

                body.Write(buffer, 0, read);
            }

            request = JsonSerializer.Deserialize<Request>(body.ToArray());
        }
        catch (JsonException)
        {
            return Invalid("invalid_client_metadata", "The registration is not a JSON object of client metadata.");
        }

        if (request?.RedirectUris is not { Length: > 0 } redirects || redirects.Length > MaxRedirectUris)
        {
            return Invalid("invalid_redirect_uri", $"redirect_uris: give one to {MaxRedirectUris} addresses.");
        }

        var uris = new List<Uri>();
        foreach (var redirect in redirects)
        {
            if (RedirectProblem(redirect) is { } problem)
            {
                return Invalid("invalid_redirect_uri", $"redirect_uris: {problem}");
            }

            uris.Add(new Uri(redirect));
        }

        if (request.GrantTypes?.Except([GrantTypes.AuthorizationCode, GrantTypes.RefreshToken]).Any() == true)
        {
            return Invalid("invalid_client_metadata", "grant_types: only authorization_code and refresh_token.");
        }

        if (request.ResponseTypes?.Except([ResponseTypes.Code]).Any() == true)
        {
            return Invalid("invalid_client_metadata", "response_types: only code.");
        }

        // The consent page shows the name: the app's one rule for names (no text-direction, invisible or control
        // characters) keeps "Claude\u202e\u200b verified by MultiOrg" from displaying as something else. Optional here.
        var name = "";
        if (!string.IsNullOrWhiteSpace(request.ClientName)
            && Domain.Text.UserText.Problem(request.ClientName, "client_name", MaxNameLength, out name) is { } nameProblem)
        {
            return Invalid("invalid_client_metadata", nameProblem);
        }

        // A public client (PKCE only) when it asks for none; otherwise a secret for the token endpoint's form.
        var isPublic = request.TokenEndpointAuthMethod == ClientAuthenticationMethods.None;
        var secret = isPublic ? null : Base64Url(RandomNumberGenerator.GetBytes(32));
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = ClientIdPrefix + Base64Url(RandomNumberGenerator.GetBytes(16)),
            ClientSecret = secret,
            ClientType = isPublic ? ClientTypes.Public : ClientTypes.Confidential,
            DisplayName = name.Length == 0 ? "Unnamed assistant" : name,
            ConsentType = ConsentTypes.Explicit,
            Permissions =
            {
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.Token,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.GrantTypes.RefreshToken,
                Permissions.ResponseTypes.Code,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var uri in uris)
        {
            descriptor.RedirectUris.Add(uri);
        }

        var now = time.GetUtcNow();
        descriptor.Properties[AssistantClientPurgeJob.RegisteredAtProperty] = AssistantClientPurgeJob.RegisteredAt(now);

        await applications.CreateAsync(descriptor, http.RequestAborted);
        return Results.Json(
            new Dictionary<string, object?>
            {
                ["client_id"] = descriptor.ClientId,
                ["client_secret"] = secret,
                ["client_id_issued_at"] = now.ToUnixTimeSeconds(),
                ["client_secret_expires_at"] = secret is null ? null : 0,
                ["client_name"] = descriptor.DisplayName,
                ["redirect_uris"] = redirects,
                ["grant_types"] = new[] { GrantTypes.AuthorizationCode, GrantTypes.RefreshToken },
                ["response_types"] = new[] { ResponseTypes.Code },
                ["token_endpoint_auth_method"] = isPublic ? ClientAuthenticationMethods.None : ClientAuthenticationMethods.ClientSecretPost,
            }.Where(p => p.Value is not null).ToDictionary(),
            statusCode: StatusCodes.Status201Created);
    }

    /// <summary>Why a redirect address is refused, or null: https anywhere, http only to this machine's loopback address.</summary>
    public static string? RedirectProblem(string? redirect)
    {
        if (string.IsNullOrWhiteSpace(redirect) || redirect.Length > MaxUriLength)
        {
            return $"each address is required and at most {MaxUriLength} characters.";
        }

        if (!Uri.TryCreate(redirect, UriKind.Absolute, out var uri) || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            return $"'{redirect}' is not an absolute address without a fragment or user name.";
        }

        var loopback = uri.IsLoopback && (uri.Host == "localhost" || IPAddress.TryParse(uri.Host.Trim('[', ']'), out _));
        return uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp && loopback
            ? null
            : $"'{redirect}' must use https (http only for a loopback address such as http://127.0.0.1:port/).";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static IResult Invalid(string error, string description) =>
        Results.Json(new { error, error_description = description }, statusCode: StatusCodes.Status400BadRequest);
}
