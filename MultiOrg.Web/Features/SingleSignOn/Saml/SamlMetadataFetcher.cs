using MultiOrg.Domain.Errors;
using MultiOrg.Domain.SingleSignOn;
using MultiOrg.Web.Outbound;

namespace MultiOrg.Web.Features.SingleSignOn.Saml;

/// <summary>
/// Reads an IdP's metadata from the address its owner gives, through the checked outbound client (only addresses the
/// operator allows, each connection checked, bounded time and size); the text is parsed by <see cref="SamlMetadata"/>.
/// </summary>
/// <remarks>
/// Every failure of the fetch itself gets one answer, <see cref="Unreadable"/>: the reason (an address refused after
/// resolution, a name unknown, a TLS or status failure) would tell an owner what the server's network holds, so it is
/// only logged.
/// </remarks>
public sealed partial class SamlMetadataFetcher(
    IHttpClientFactory clients, MultiOrg.Domain.Security.OutboundAddresses outbound, ILogger<SamlMetadataFetcher> logger)
{
    public const string Unreadable = "The metadata could not be read from that address.";

    public async Task<string> FetchAsync(string? address, CancellationToken ct = default)
    {
        var text = address?.Trim() ?? "";
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || text.Length > SamlProvider.UrlMaxLength)
        {
            throw DomainException.Invalid("metadataUrl", "Enter the address of the IdP's metadata, for example https://login.microsoftonline.com/…/federationmetadata/2007-06/federationmetadata.xml.");
        }

        if (!outbound.MayUse(uri))
        {
            throw DomainException.Invalid("metadataUrl", uri.Scheme == Uri.UriSchemeHttp
                ? "The metadata address must start with https:// (plain http is only accepted inside a private network the operator allows)."
                : "The metadata address is in a private network, which MultiOrg reaches only when its operator allows that network.");
        }

        try
        {
            using var response = await clients.CreateClient(OutboundHttp.ClientName).GetAsync(uri, ct);
            if (!response.IsSuccessStatusCode)
            {
                LogUnreadable(logger, uri, $"answered {(int)response.StatusCode} {response.ReasonPhrase}");
                throw DomainException.Invalid("metadataUrl", Unreadable);
            }

            return await response.Content.ReadAsStringAsync(ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            LogUnreadable(logger, uri, e.Message);
            throw DomainException.Invalid("metadataUrl", Unreadable);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SAML metadata could not be read from {Address}: {Detail}")]
    private static partial void LogUnreadable(ILogger logger, Uri address, string detail);
}
