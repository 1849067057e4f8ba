using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;

namespace MultiOrg.Web.Hosting;

/// <summary>
/// Compresses the static files of packages and the framework (<c>/_content</c>, <c>/_framework</c>) for browsers that
/// accept it. MapStaticAssets serves the build's precompressed copy (<c>.gz</c>) of this site's own files and of a
/// package file's plain address, but not of the fingerprinted address <c>@Assets[…]</c> gives a package file: the
/// pages asked for MudBlazor's <c>MudBlazor.min.&lt;hash&gt;.css</c> (627 KB) and its script uncompressed on every first
/// visit. ASP.NET Core's response compression fills that gap; a response that already has a Content-Encoding (a
/// precompressed copy) is passed through as it is. Pages and the API are left alone: their responses carry tokens, and
/// compressing secrets beside text an attacker chooses is what BREACH reads.
/// </summary>
public static class AssetCompression
{
    public static IServiceCollection AddAssetCompression(this IServiceCollection services)
    {
        services.AddResponseCompression(options =>
        {
            options.EnableForHttps = true;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
        });

        // Fingerprinted files are cached for a year, so each is compressed about once per browser: worth the better ratio.
        services.Configure<BrotliCompressionProviderOptions>(options => options.Level = CompressionLevel.Optimal);
        services.Configure<GzipCompressionProviderOptions>(options => options.Level = CompressionLevel.Optimal);
        return services;
    }

    public static IApplicationBuilder UseAssetCompression(this IApplicationBuilder app) =>
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments("/_content") || context.Request.Path.StartsWithSegments("/_framework"),
            assets => assets.UseResponseCompression());
}
