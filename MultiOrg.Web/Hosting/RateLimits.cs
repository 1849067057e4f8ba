using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using MultiOrg.Web.ApiKeys;

namespace MultiOrg.Web.Hosting;

/// <summary>
/// Sign-in attempts (and single sign-on starts) per client address and requests per API key, in fixed one-minute windows
/// (<c>RateLimits:SignInPerMinute</c>, <c>RateLimits:ApiKeyPerMinute</c>). Refusals are 429 with Retry-After.
/// </summary>
public static class RateLimits
{
    public static IServiceCollection AddMultiOrgRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var signInPerMinute = configuration.GetValue("RateLimits:SignInPerMinute", 10);
        var apiKeyPerMinute = configuration.GetValue("RateLimits:ApiKeyPerMinute", 600);
        return services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (IsSignIn(context.Request))
                {
                    var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                    return RateLimitPartition.GetFixedWindowLimiter($"sign-in:{address}", _ => Window(signInPerMinute));
                }

                // Anonymous, and it makes the server fetch the provider's documents: limited like a sign-in.
                if (HttpMethods.IsGet(context.Request.Method) && context.Request.Path.Equals("/Account/Sso/Start", StringComparison.OrdinalIgnoreCase))
                {
                    var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                    return RateLimitPartition.GetFixedWindowLimiter($"sso-start:{address}", _ => Window(signInPerMinute));
                }

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

    private static bool IsSignIn(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && (request.Path.Equals("/api/auth/login", StringComparison.OrdinalIgnoreCase)
            || request.Path.Equals("/Account/Login", StringComparison.OrdinalIgnoreCase));

    private static FixedWindowRateLimiterOptions Window(int permits) => new()
    {
        PermitLimit = Math.Max(1, permits),
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
