using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Security;
using MultiOrg.Domain.SingleSignOn;
using MultiOrg.Web.Outbound;

namespace MultiOrg.Web.Features.SingleSignOn;

/// <summary>What the provider's discovery document says, or that it could not be read.</summary>
public sealed record SsoConnectionResult(bool Reachable, string Message);

/// <summary>"Test connection" on the settings page: reads the provider's discovery document the way sign-in will (OWNER only).</summary>
public sealed partial class SsoConnectionTest(
    IHttpClientFactory httpClients, OutboundAddresses outbound, SingleSignOnService settings, ILogger<SsoConnectionTest> logger)
{
    /// <summary>
    /// One answer for every failure: telling "nothing answers" from "something answers, but not as a provider" would let
    /// an owner map which addresses and ports answer; the reason goes to the server log.
    /// </summary>
    public const string Unreachable = "The provider could not be reached from the MultiOrg server. Check the address, and that the provider answers there.";

    public async Task<SsoConnectionResult> TestAsync(string? authority, CancellationToken ct = default)
    {
        if (!(await settings.GetAsync(ct)).CanEdit)
        {
            throw new DomainException(DomainErrorKind.Forbidden, "Only owners can test the single sign-on provider.");
        }

        var address = SsoAuthority.Parse(authority, outbound).TrimEnd('/') + "/.well-known/openid-configuration";
        var http = httpClients.CreateClient(OutboundHttp.ClientName);
        try
        {
            var retriever = new HttpDocumentRetriever(http) { RequireHttps = !SsoAuthority.AllowsHttp(address, outbound) };
            var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(address, retriever, ct);
            if (configuration.AuthorizationEndpoint is { Length: > 0 } && configuration.TokenEndpoint is { Length: > 0 })
            {
                return new SsoConnectionResult(true, $"The provider answered: issuer {configuration.Issuer}.");
            }

            LogUnreachable(logger, address, "no authorization or token endpoint in the discovery document", null);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or TaskCanceledException or InvalidOperationException or ArgumentException or System.Text.Json.JsonException)
        {
            LogUnreachable(logger, address, e.GetType().Name, e);
        }

        return new SsoConnectionResult(false, Unreachable);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Single sign-on connection test: {Address} could not be read ({Reason})")]
    private static partial void LogUnreachable(ILogger logger, string address, string reason, Exception? exception);
}
