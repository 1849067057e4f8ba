using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Microsoft.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MultiOrg.Tests.Harness;

/// <summary>
/// A real OpenID Connect provider for the single sign-on tests: an OpenIddict server on a free loopback port, over its
/// own in-memory SQLite database, with a plain sign-in form for the people the test adds. Authorization code flow with
/// PKCE; the ID token carries sub, email and name.
/// </summary>
public sealed class OidcProvider : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly SqliteConnection connection;
    private readonly ConcurrentDictionary<string, ProviderUser> users = new(StringComparer.OrdinalIgnoreCase);

    private OidcProvider(WebApplication app, SqliteConnection connection)
    {
        this.app = app;
        this.connection = connection;
    }

    /// <summary>The issuer, e.g. http://127.0.0.1:41234/ (what an organization's owner enters in MultiOrg).</summary>
    public string Authority { get; private set; } = "";

    public static async Task<OidcProvider> StartAsync()
    {
        var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ApplicationName = "OidcProvider" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddDbContext<ProviderDb>(options =>
        {
            options.UseSqlite(connection);
            options.UseOpenIddict();
        });
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.LoginPath = "/login";
                options.Cookie.Name = "oidc-provider";
            });
        builder.Services.AddOpenIddict()
            .AddCore(options => options.UseEntityFrameworkCore().UseDbContext<ProviderDb>())
            .AddServer(options =>
            {
                options.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
                options.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                options.RegisterScopes(Scopes.OpenId, Scopes.Email, Scopes.Profile);
                options.AddEphemeralEncryptionKey().AddEphemeralSigningKey().DisableAccessTokenEncryption();
                options.UseAspNetCore().EnableAuthorizationEndpointPassthrough().DisableTransportSecurityRequirement();
            });

        var app = builder.Build();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ProviderDb>().Database.EnsureCreatedAsync();
        }

        app.UseAuthentication();
        var provider = new OidcProvider(app, connection);
        provider.MapEndpoints();
        await app.StartAsync();
        provider.Authority = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/') + "/";

        // The first discovery request compiles OpenIddict's pipeline (seconds on a busy two-core machine): done here, so
        // the steps under test see the provider as a running one would answer.
        using var warmUp = new HttpClient();
        (await warmUp.GetAsync(provider.Authority + ".well-known/openid-configuration")).EnsureSuccessStatusCode();
        (await warmUp.GetAsync(provider.Authority + ".well-known/jwks")).EnsureSuccessStatusCode();
        return provider;
    }

    /// <summary>Someone who can sign in at the provider (the organization's directory, so to speak).</summary>
    /// <param name="emailVerified">What the ID token's <c>email_verified</c> says (null: the claim is left out).</param>
    public void AddUser(string email, string password, string name, bool? emailVerified = true) =>
        users[email] = new ProviderUser(Guid.NewGuid().ToString("N"), email, password, name, emailVerified);

    public string SubjectOf(string email) => users[email].Subject;

    /// <summary>MultiOrg as a confidential client of the provider, with its redirect URI.</summary>
    public async Task RegisterClientAsync(string clientId, string clientSecret, string redirectUri)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        await manager.CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = clientSecret,
            ClientType = ClientTypes.Confidential,
            RedirectUris = { new Uri(redirectUri) },
            Permissions =
            {
                OpenIddictConstants.Permissions.Endpoints.Authorization,
                OpenIddictConstants.Permissions.Endpoints.Token,
                OpenIddictConstants.Permissions.GrantTypes.AuthorizationCode,
                OpenIddictConstants.Permissions.ResponseTypes.Code,
                OpenIddictConstants.Permissions.Scopes.Email,
                OpenIddictConstants.Permissions.Scopes.Profile,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        });
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        await connection.DisposeAsync();
    }

    private void MapEndpoints()
    {
        app.MapGet("/login", (string? returnUrl, string? error) => Results.Content(LoginPage(returnUrl ?? "/", error), "text/html"));
        app.MapPost("/login", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            var returnUrl = form["returnUrl"].ToString();
            if (!users.TryGetValue(form["username"].ToString(), out var user) || user.Password != form["password"].ToString())
            {
                return Results.Content(LoginPage(returnUrl, "Wrong username or password."), "text/html");
            }

            var identity = new ClaimsIdentity(CookieAuthenticationDefaults.AuthenticationScheme);
            identity.AddClaim(new Claim(ClaimTypes.Email, user.Email));
            await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
            return Results.Redirect(returnUrl.StartsWith('/') ? returnUrl : "/");
        });
        app.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], async (HttpContext http) =>
        {
            var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
            var signedIn = await http.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            if (!signedIn.Succeeded || !users.TryGetValue(signedIn.Principal.FindFirstValue(ClaimTypes.Email) ?? "", out var user))
            {
                return Results.Challenge(
                    new AuthenticationProperties { RedirectUri = http.Request.PathBase + http.Request.Path + http.Request.QueryString },
                    [CookieAuthenticationDefaults.AuthenticationScheme]);
            }

            var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, user.Subject).SetClaim(Claims.Email, user.Email).SetClaim(Claims.Name, user.Name);
            if (user.EmailVerified is { } verified)
            {
                identity.SetClaim(Claims.EmailVerified, verified);
            }

            identity.SetScopes(request.GetScopes());
            identity.SetDestinations(_ => [Destinations.AccessToken, Destinations.IdentityToken]);
            return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
    }

    private static string LoginPage(string returnUrl, string? error) => $"""
        <!doctype html>
        <html><head><title>Acme sign-in provider</title></head>
        <body>
          <h1>Acme sign-in provider</h1>
          {(error is null ? "" : $"<p role=\"alert\">{WebUtility.HtmlEncode(error)}</p>")}
          <form method="post" action="/login">
            <input type="hidden" name="returnUrl" value="{WebUtility.HtmlEncode(returnUrl)}" />
            <label>Username <input name="username" autocomplete="username" /></label>
            <label>Password <input name="password" type="password" autocomplete="current-password" /></label>
            <button type="submit">Sign in at the provider</button>
          </form>
        </body></html>
        """;

    private sealed record ProviderUser(string Subject, string Email, string Password, string Name, bool? EmailVerified);

    private sealed class ProviderDb(DbContextOptions<ProviderDb> options) : DbContext(options);
}
