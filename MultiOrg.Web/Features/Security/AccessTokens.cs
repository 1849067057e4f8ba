using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using MultiOrg.Domain.Security;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Domain.Users;
using MultiOrg.Web.Hosting;

namespace MultiOrg.Web.Features.Security;

/// <summary>The <c>AccessTokens</c> settings: how long Identity's bearer tokens live and how stale a check of them may be.</summary>
public sealed class AccessTokenSettings
{
    public const string Section = "AccessTokens";

    [System.ComponentModel.Description("how long a bearer access token works")]
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(1);

    [System.ComponentModel.Description("how long a refresh token works")]
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan RefreshLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// How long a server trusts its last read of a person's security stamp, lockout and ended token families: the most
    /// an access token outlives "sign out everywhere", a password change, a lockout or the account. Zero reads every time.
    /// </summary>
    [System.ComponentModel.Description("how long a server trusts its last check of a person's security stamp: the most a token outlives \"sign out everywhere\"; zero checks every time")]
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RecheckAfter { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Identity's bearer tokens (<c>/api/auth/login</c>, <c>/refresh</c>) ended with the session behind them: each access
/// token is checked against the person's current security stamp, lockout and token family; a refresh token is
/// exchanged once, and a replay ends its family. Every token of one sign-in carries the sign-in's family id.
/// </summary>
public static class AccessTokens
{
    public const string FamilyClaim = "multiorg:token-family";

    /// <summary>Unique per issue; the access and refresh token issued together share it.</summary>
    public const string IdClaim = "multiorg:token-id";

    public static AuthenticationBuilder AddMultiOrgBearerTokens(this AuthenticationBuilder authentication)
    {
        var services = authentication.Services;
        services.AddSettings<AccessTokenSettings>(AccessTokenSettings.Section);
        services.AddMemoryCache();
        services.AddSingleton<AccessTokenChecks>();
        services.AddHostedService<RefreshTokenPurgeJob>();
        services.AddOptions<BearerTokenOptions>(IdentityConstants.BearerScheme).Configure<IOptions<AccessTokenSettings>>((bearer, settings) =>
        {
            bearer.BearerTokenExpiration = settings.Value.Lifetime;
            bearer.RefreshTokenExpiration = settings.Value.RefreshLifetime;
            bearer.Events.OnMessageReceived = CheckAccessTokenAsync;
        });

        // After the bearer handler's own configuration has made the protectors (same keys, so earlier tokens still read).
        services.AddOptions<BearerTokenOptions>(IdentityConstants.BearerScheme).PostConfigure(bearer =>
        {
            bearer.BearerTokenProtector = new FamilyStampingFormat(bearer.BearerTokenProtector);
            bearer.RefreshTokenProtector = new FamilyStampingFormat(bearer.RefreshTokenProtector);
        });
        return authentication.AddBearerToken(IdentityConstants.BearerScheme);
    }

    /// <summary>
    /// <c>POST /api/auth/refresh</c> in place of Identity's: the same checks (unexpired, stamp unchanged) plus one use
    /// per refresh token and no locked-out account. Refusals are a bare 401, as Identity's.
    /// </summary>
    public static async Task<IResult> RefreshAsync(HttpContext http, string refreshToken)
    {
        var services = http.RequestServices;
        var bearer = services.GetRequiredService<IOptionsMonitor<BearerTokenOptions>>().Get(IdentityConstants.BearerScheme);
        var ticket = bearer.RefreshTokenProtector.Unprotect(refreshToken);
        if (ticket?.Properties.ExpiresUtc is not { } expires || services.GetRequiredService<TimeProvider>().GetUtcNow() >= expires
            || ticket.Principal.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
        {
            return TypedResults.Unauthorized();
        }

        // Tokens issued before families existed carry no ids: the token's own hash stands in for both.
        var tokenId = ticket.Principal.FindFirstValue(IdClaim) ?? Hash(refreshToken);
        var family = ticket.Principal.FindFirstValue(FamilyClaim) ?? tokenId;
        services.GetRequiredService<OrganizationDoor>().Admit(Caller.Nobody, Door.Api, Doors.RequestCaller.AddressOf(http));
        var use = await services.GetRequiredService<RefreshTokenService>().UseAsync(tokenId, family, userId, bearer.RefreshTokenExpiration, http.RequestAborted);
        if (use != RefreshTokenUse.First)
        {
            services.GetRequiredService<AccessTokenChecks>().Forget(userId);
            return TypedResults.Unauthorized();
        }

        var signIn = services.GetRequiredService<SignInManager<AppUser>>();
        if (await signIn.ValidateSecurityStampAsync(ticket.Principal) is not { } user || await signIn.UserManager.IsLockedOutAsync(user))
        {
            return TypedResults.Unauthorized();
        }

        var principal = await signIn.CreateUserPrincipalAsync(user);
        ((ClaimsIdentity)principal.Identity!).AddClaims([new Claim(FamilyClaim, family), new Claim(IdClaim, Guid.NewGuid().ToString("N"))]);
        return TypedResults.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme);
    }

    /// <summary>
    /// Runs before the bearer handler reads the token: a well-formed, unexpired token whose person no longer stands behind
    /// it is refused here. Anything else is left to the handler, which refuses it on its own.
    /// </summary>
    private static async Task CheckAccessTokenAsync(MessageReceivedContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var token = context.Token ?? (header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : null);
        if (token is null || context.Options.BearerTokenProtector.Unprotect(token) is not { Properties.ExpiresUtc: not null } ticket)
        {
            return;
        }

        var checks = context.HttpContext.RequestServices.GetRequiredService<AccessTokenChecks>();
        if (!await checks.IsCurrentAsync(ticket.Principal, context.HttpContext.RequestAborted))
        {
            context.Fail("The access token's session has ended: sign in again.");
        }
    }

    /// <summary>
    /// Gives a sign-in's tokens their family as they are written. The handler makes the access and the refresh ticket of
    /// one sign-in from the same principal, so the claims added while protecting the first are in the second as well:
    /// whichever is written first starts the family. A refresh has set the family already and passes unchanged.
    /// </summary>
    private sealed class FamilyStampingFormat(ISecureDataFormat<AuthenticationTicket> inner) : ISecureDataFormat<AuthenticationTicket>
    {
        public string Protect(AuthenticationTicket data) => Protect(data, purpose: null);

        public string Protect(AuthenticationTicket data, string? purpose)
        {
            if (data.Principal.FindFirst(FamilyClaim) is null && data.Principal.Identity is ClaimsIdentity identity)
            {
                var family = Guid.NewGuid().ToString("N");
                identity.AddClaims([new Claim(FamilyClaim, family), new Claim(IdClaim, family)]);
            }

            return inner.Protect(data, purpose);
        }

        public AuthenticationTicket? Unprotect(string? protectedText) => inner.Unprotect(protectedText);

        public AuthenticationTicket? Unprotect(string? protectedText, string? purpose) => inner.Unprotect(protectedText, purpose);
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}

/// <summary>
/// Whether an access token's person still stands behind it. One read per person and <see cref="AccessTokenSettings.RecheckAfter"/>
/// on each server; the bound is measured on the app's clock, and the cache only keeps memory in check.
/// </summary>
internal sealed class AccessTokenChecks(IServiceScopeFactory scopes, IMemoryCache cache, TimeProvider time, IOptions<AccessTokenSettings> settings, IOptions<IdentityOptions> identity)
{
    private sealed record Checked(TokenStanding? Standing, DateTimeOffset At);

    public async Task<bool> IsCurrentAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        if (principal.FindFirstValue(identity.Value.ClaimsIdentity.UserIdClaimType) is not { } userId)
        {
            return false;
        }

        var now = time.GetUtcNow();
        var standing = await StandingAsync(userId, now, ct);
        return standing is not null
            && standing.SecurityStamp == principal.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType)
            && !(standing.LockoutEnd > now)
            && (principal.FindFirstValue(AccessTokens.FamilyClaim) is not { } family || !standing.EndedFamilies.Contains(family));
    }

    /// <summary>This server learnt something new about the person (a replay it refused): no waiting for the bound.</summary>
    public void Forget(string userId) => cache.Remove(Key(userId));

    private async Task<TokenStanding?> StandingAsync(string userId, DateTimeOffset now, CancellationToken ct)
    {
        var bound = settings.Value.RecheckAfter;
        if (bound > TimeSpan.Zero && cache.TryGetValue(Key(userId), out Checked? last) && last is not null && now - last.At < bound)
        {
            return last.Standing;
        }

        await using var scope = scopes.CreateAsyncScope();
        var standing = await scope.ServiceProvider.GetRequiredService<RefreshTokenService>().StandingOfAsync(userId, ct);
        if (bound > TimeSpan.Zero)
        {
            cache.Set(Key(userId), new Checked(standing, now), bound);
        }

        return standing;
    }

    private static string Key(string userId) => "access-token-standing:" + userId;
}
