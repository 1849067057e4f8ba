using MultiOrg.Domain.Errors;
using MultiOrg.Domain.SingleSignOn;
using MultiOrg.Web.Outbound;

namespace MultiOrg.Web.Features.SingleSignOn.Saml;

/// <summary>
/// Reads an IdP's metadata from the address its owner gives, through the checked outbound client (only addresses the
/// operator allows, each connection checked, bounded time and size); the text is parsed by <see cref="SamlMetadata"/>.
/// </summary>
public sealed class SamlMetadataFetcher(IHttpClientFactory clients, MultiOrg.Domain.Security.OutboundAddresses outbound)
{
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
                throw DomainException.Invalid("metadataUrl", $"The metadata address answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            return await response.Content.ReadAsStringAsync(ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            throw DomainException.Invalid("metadataUrl", $"MultiOrg could not read the metadata address ({e.Message}).");
        }
    }
}
