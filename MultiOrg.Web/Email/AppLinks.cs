using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using MultiOrg.Web.Hosting;

namespace MultiOrg.Web.Email;

/// <summary>
/// Absolute links for mail: the configured public address (<c>App:PublicBaseUrl</c>), never the request's Host header.
/// Without the setting (Development, tests) the app's own listening address stands in.
/// </summary>
public sealed class AppLinks(IOptions<AppOptions> options, IServer? server = null)
{
    public Uri BaseUri
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl))
            {
                return new Uri(options.Value.PublicBaseUrl.TrimEnd('/') + "/");
            }

            var addresses = server?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var listening = addresses.FirstOrDefault(a => a.StartsWith("https:", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault();
            return listening is null ? new Uri("http://localhost/") : Reachable(listening);
        }
    }

    /// <summary>An address of this app, <paramref name="path"/> relative to its root (no leading slash needed).</summary>
    public string To(string path) => new Uri(BaseUri, path.TrimStart('/')).AbsoluteUri;

    public string Invitation(string token) => To($"Account/Invitation?token={Uri.EscapeDataString(token)}");

    /// <summary>
    /// The same link on the public address: Identity's own endpoints and the account pages build theirs from the request,
    /// so the mail sender moves each one here before it goes out.
    /// </summary>
    public string Rebase(string link) =>
        Uri.TryCreate(link, UriKind.Absolute, out var uri) ? To(uri.PathAndQuery + uri.Fragment) : To(link);

    /// <summary>A listening address people can open: "any address" bindings become localhost.</summary>
    private static Uri Reachable(string address)
    {
        var normalized = address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal);
        var builder = new UriBuilder(normalized);
        if (builder.Host is "0.0.0.0" or "[::]" or "::")
        {
            builder.Host = "localhost";
        }

        builder.Path = builder.Path.TrimEnd('/') + "/";
        return builder.Uri;
    }
}
