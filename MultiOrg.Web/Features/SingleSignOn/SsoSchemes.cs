using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using MultiOrg.Domain.SingleSignOn;

namespace MultiOrg.Web.Features.SingleSignOn;

/// <summary>
/// Each organization's provider is an authentication scheme named <c>sso-{organization}-{version}</c>, made when it is
/// first asked for, not registered at start. A saved change raises the version, so the next sign-in builds a new
/// handler from the new settings on every server; no restart, no stale secret.
/// </summary>
public static class SsoSchemes
{
    private const string Prefix = "sso-";

    public static string Name(Guid organizationId, int version) => $"{Prefix}{organizationId:N}-{version.ToString(CultureInfo.InvariantCulture)}";

    public static bool TryParse(string? name, out Guid organizationId, out int version)
    {
        organizationId = Guid.Empty;
        version = 0;
        var parts = name is not null && name.StartsWith(Prefix, StringComparison.Ordinal) ? name[Prefix.Length..].Split('-') : [];
        return parts.Length == 2
            && Guid.TryParseExact(parts[0], "N", out organizationId)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out version);
    }

    /// <summary>The organization a provider's return path belongs to (<c>/signin-sso/{organization}</c>, <c>/signout-sso/…</c>).</summary>
    public static Guid? OrganizationOfPath(PathString path)
    {
        foreach (var prefix in new[] { "/signin-sso/", "/signout-sso/" })
        {
            if (path.Value is { } value && value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                && Guid.TryParseExact(value.AsSpan(prefix.Length, Math.Min(32, value.Length - prefix.Length)), "N", out var id))
            {
                return id;
            }
        }

        return null;
    }
}

/// <summary>
/// The settings each server has loaded for the providers it handles, keyed by scheme name. Filled (asynchronously, from
/// the database) by the scheme provider before a handler is made, and read by <see cref="SsoOpenIdConnectOptions"/>,
/// which options require to be synchronous.
/// </summary>
public sealed class SsoClients(IServiceScopeFactory scopes)
{
    private readonly ConcurrentDictionary<string, SsoClient> loaded = new(StringComparer.Ordinal);

    /// <summary>The organization's turned-on provider as it is now, and its scheme name; null when it has none.</summary>
    public async Task<(string Scheme, SsoClient Client)?> LoadAsync(Guid organizationId, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var client = await scope.ServiceProvider.GetRequiredService<SsoLookup>().GetClientAsync(organizationId, ct);
        if (client is null)
        {
            return null;
        }

        var scheme = SsoSchemes.Name(organizationId, client.Version);
        loaded[scheme] = client;
        return (scheme, client);
    }

    public SsoClient? Loaded(string scheme) => loaded.GetValueOrDefault(scheme);
}

/// <summary>
/// Answers for the <c>sso-…</c> schemes beside the ones registered at start: a scheme exists while its version is the
/// organization's current one. A provider's return path (<c>/signin-sso/{organization}</c>) adds that organization's
/// current scheme to the handlers asked to handle the request.
/// </summary>
public sealed class SsoAuthenticationSchemeProvider(IOptions<AuthenticationOptions> options, IHttpContextAccessor http, SsoClients clients)
    : AuthenticationSchemeProvider(options)
{
    public override async Task<AuthenticationScheme?> GetSchemeAsync(string name)
    {
        var scheme = await base.GetSchemeAsync(name);
        if (scheme is not null || !SsoSchemes.TryParse(name, out var organizationId, out _))
        {
            return scheme;
        }

        var current = await CurrentAsync(organizationId);
        return current?.Scheme == name ? Scheme(name) : null;
    }

    public override async Task<IEnumerable<AuthenticationScheme>> GetRequestHandlerSchemesAsync()
    {
        var schemes = await base.GetRequestHandlerSchemesAsync();
        if (http.HttpContext?.Request.Path is not { } path || SsoSchemes.OrganizationOfPath(path) is not { } organizationId)
        {
            return schemes;
        }

        var current = await CurrentAsync(organizationId);
        return current is { } found ? [.. schemes, Scheme(found.Scheme)] : schemes;
    }

    /// <summary>
    /// The organization's current provider, read from the database once per request: a challenge or a provider's return
    /// asks for the scheme several times (the middleware, the authentication service, the handler provider).
    /// </summary>
    private async Task<(string Scheme, SsoClient Client)?> CurrentAsync(Guid organizationId)
    {
        var items = http.HttpContext?.Items;
        var key = $"sso-current:{organizationId:N}";
        if (items is not null && items.TryGetValue(key, out var cached))
        {
            return ((string Scheme, SsoClient Client)?)cached;
        }

        var current = await clients.LoadAsync(organizationId);
        if (items is not null)
        {
            items[key] = current;
        }

        return current;
    }

    private static AuthenticationScheme Scheme(string name) => new(name, "Single sign-on", typeof(OpenIdConnectHandler));
}
