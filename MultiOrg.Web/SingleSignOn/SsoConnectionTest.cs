using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.SingleSignOn;

namespace MultiOrg.Web.SingleSignOn;

/// <summary>What the provider's discovery document says, or why it could not be read.</summary>
public sealed record SsoConnectionResult(bool Reachable, string Message);

/// <summary>"Test connection" on the settings page: reads the provider's discovery document the way sign-in will (OWNER only).</summary>
public sealed partial class SsoConnectionTest(IHttpClientFactory httpClients, SingleSignOnService settings, ILogger<SsoConnectionTest> logger)
{
    public async Task<SsoConnectionResult> TestAsync(string? authority, CancellationToken ct = default)
    {
        if (!(await settings.GetAsync(ct)).CanEdit)
        {
            throw new DomainException(DomainErrorKind.Forbidden, "Only owners can test the single sign-on provider.");
        }

        var address = SsoAuthority.Parse(authority).TrimEnd('/') + "/.well-known/openid-configuration";
        using var http = httpClients.CreateClient();
        http.Timeout = TimeSpan.FromSeconds(15);
        try
        {
            var retriever = new HttpDocumentRetriever(http) { RequireHttps = !SsoAuthority.AllowsHttp(address) };
            var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(address, retriever, ct);
            return configuration.AuthorizationEndpoint is { Length: > 0 } && configuration.TokenEndpoint is { Length: > 0 }
                ? new SsoConnectionResult(true, $"The provider answered: issuer {configuration.Issuer}.")
                : new SsoConnectionResult(false, $"{address} answered, but names no authorization or token endpoint.");
        }
        catch (Exception e) when (e is IOException or HttpRequestException or TaskCanceledException or InvalidOperationException or ArgumentException)
        {
            LogUnreachable(logger, address, e.GetType().Name, e.Message);
            return new SsoConnectionResult(false, $"Could not read {address}. Check the address and that the provider is reachable from the MultiOrg server.");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Single sign-on connection test: {Address} could not be read ({ExceptionType}: {ExceptionMessage})")]
    private static partial void LogUnreachable(ILogger logger, string address, string exceptionType, string exceptionMessage);
}
