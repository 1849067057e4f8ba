using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using MultiOrg.Web.Features.ApiKeys;

namespace MultiOrg.Web.Hosting;

/// <summary>The <c>RateLimits</c> section: requests per minute in fixed windows.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    [System.ComponentModel.Description("sign-in attempts (and single sign-on starts) per client address per minute; beyond it: 429 with Retry-After")]
    [System.ComponentModel.DataAnnotations.Range(1, 1_000_000)]
    public int SignInPerMinute { get; set; } = 10;

    [System.ComponentModel.Description("registrations, password resets and confirmation resends per client address per minute")]
    [System.ComponentModel.DataAnnotations.Range(1, 1_000_000)]
    public int AccountPerMinute { get; set; } = 5;

    [System.ComponentModel.Description("requests per API key per minute")]
    [System.ComponentModel.DataAnnotations.Range(1, 1_000_000)]
    public int ApiKeyPerMinute { get; set; } = 600;

    public void Deconstruct(out int signIn, out int account, out int apiKey) => (signIn, account, apiKey) = (SignInPerMinute, AccountPerMinute, ApiKeyPerMinute);
}

/// <summary>
/// Sign-in attempts (and single sign-on starts), registrations and password resets per client address and requests per API
/// key, in fixed one-minute windows (<c>RateLimits:SignInPerMinute</c>, <c>RateLimits:AccountPerMinute</c>,
/// <c>RateLimits:ApiKeyPerMinute</c>). Refusals are 429 with Retry-After.
/// </summary>
public static class RateLimits
{
    /// <summary>
    /// The policy of the sign-in endpoints (the login page and <c>/api/auth/login</c>), attached to the endpoints rather
    /// than matched on path text, so "/api/auth/login/" and "/ACCOUNT/LOGIN" are the same endpoint and share one limit.
    /// </summary>
    public const string SignIn = "sign-in";

    /// <summary>
    /// The policy of <c>GET /Account/Sso/Start</c>: anonymous, and it makes the server fetch the organization's provider
    /// documents, so it is limited per address like a sign-in (its own window, so starting SSO never uses up sign-ins).
    /// </summary>
    public const string SsoStart = "sso-start";

    /// <summary>
    /// The policy of registration, password reset and confirmation resend (pages and Identity API): each sends mail and
    /// the first tells whether an address is taken, so one client address gets a few a minute, counted apart from sign-ins.
    /// </summary>
    public const string Account = "account";

    /// <summary>The policy of assistant client registration (RFC 7591, anonymous): a few per client address a minute.</summary>
    public const string ClientRegistration = "client-registration";

    /// <summary>The Identity API routes under <see cref="Account"/>; "/login" is under <see cref="SignIn"/>.</summary>
    private static readonly string[] AccountRoutes = ["/register", "/forgotPassword", "/resetPassword", "/resendConfirmationEmail"];

    public static IServiceCollection AddMultiOrgRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var (signInPerMinute, accountPerMinute, apiKeyPerMinute) = services.ReadSettings<RateLimitOptions>(configuration, RateLimitOptions.Section);
        return services.AddRateLimiter(options =>
        {
            // Only a POST is an attempt: showing the sign-in page costs nothing.
            options.AddPolicy(SignIn, context => HttpMethods.IsPost(context.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => Window(signInPerMinute))
                : RateLimitPartition.GetNoLimiter("read"));
            options.AddPolicy(Account, context => HttpMethods.IsPost(context.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => Window(accountPerMinute))
                : RateLimitPartition.GetNoLimiter("read"));
            var registrationsPerMinute = configuration.GetValue("RateLimits:ClientRegistrationPerMinute", 10);
            options.AddPolicy(ClientRegistration, context =>
                RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => Window(registrationsPerMinute)));
            options.AddPolicy(SsoStart, context =>
                RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => Window(signInPerMinute)));
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if ((context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/mcp")) && ApiKeyAuthenticationHandler.ReadKey(context.Request) is { } key)
                {
                    // Partition by the key's public prefix: the secret part never becomes a dictionary key.
                    var separator = key.IndexOf('_', 3);
                    var prefix = separator > 0 ? key[..separator] : key[..Math.Min(key.Length, 15)];
                    return RateLimitPartition.GetFixedWindowLimiter($"key:{prefix}", _ => Window(apiKeyPerMinute));
                }

                return RateLimitPartition.GetNoLimiter("none");
            });
            options.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests",
                        Detail = $"Slow down: try again in {seconds} seconds.",
                    },
                });
            };
        });
    }

    /// <summary>
    /// Puts Identity's token login under the sign-in limit and its registration and password reset under the account limit
    /// (endpoints of <c>MapIdentityApi</c>'s group).
    /// </summary>
    public static TBuilder RequireIdentityLimits<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            if (endpoint is not RouteEndpointBuilder { RoutePattern.RawText: { } raw })
            {
                return;
            }

            var pattern = raw.TrimEnd('/');
            if (pattern.EndsWith("/login", StringComparison.OrdinalIgnoreCase))
            {
                endpoint.Metadata.Add(new EnableRateLimitingAttribute(SignIn));
            }
            else if (AccountRoutes.Any(route => pattern.EndsWith(route, StringComparison.OrdinalIgnoreCase)))
            {
                endpoint.Metadata.Add(new EnableRateLimitingAttribute(Account));
            }
        });
        return builder;
    }

    private static FixedWindowRateLimiterOptions Window(int permits) => new()
    {
        PermitLimit = Math.Max(1, permits),
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
