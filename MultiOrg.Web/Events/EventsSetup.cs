using Microsoft.Extensions.Diagnostics.HealthChecks;
using MultiOrg.Domain.Events;
using MultiOrg.Web.Hosting;
using StackExchange.Redis;

namespace MultiOrg.Web.Events;

/// <summary>The <c>Redis</c> section: one Redis for the event port and the circuits' second-level cache.</summary>
public sealed class RedisSettings : System.ComponentModel.DataAnnotations.IValidatableObject
{
    public const string Section = "Redis";

    [System.ComponentModel.Description("a StackExchange.Redis configuration string (`redis.internal:6379,password=…`, a secret): events between servers and resumable circuits go through it; none: one server, in-process")]
    [System.ComponentModel.PasswordPropertyText(true)]
    public string? Configuration { get; set; }

    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(System.ComponentModel.DataAnnotations.ValidationContext validationContext)
    {
        string? error = null;
        try
        {
            if (!string.IsNullOrWhiteSpace(Configuration) && ConfigurationOptions.Parse(Configuration).EndPoints.Count == 0)
            {
                error = "names no server";
            }
        }
        catch (ArgumentException)
        {
            error = "is not a StackExchange.Redis configuration string";
        }

        if (error is not null)
        {
            // Not echoed: the string usually carries the password.
            yield return new($"{error}; expected one such as redis.internal:6379,password=…", [nameof(Configuration)]);
        }
    }
}

/// <summary>
/// The event port: in-process on one server (nothing to install), Redis pub/sub when <c>Redis:Configuration</c> is set
/// (a StackExchange.Redis configuration string, e.g. <c>redis.internal:6379,password=…</c>).
/// </summary>
public static class EventsSetup
{
    public const string RedisConfigurationKey = "Redis:Configuration";

    public static IServiceCollection AddOrganizationEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<InProcessOrganizationEvents>();
        var redis = services.ReadSettings<RedisSettings>(configuration, RedisSettings.Section).Configuration;
        if (string.IsNullOrWhiteSpace(redis))
        {
            services.AddSingleton<IOrganizationEvents>(sp => sp.GetRequiredService<InProcessOrganizationEvents>());
            return services;
        }

        services.AddSingleton<IConnectionMultiplexer>(_ =>
        {
            var options = ConfigurationOptions.Parse(redis!);

            // Start even while Redis is briefly away (the readiness check says so); the multiplexer keeps reconnecting.
            options.AbortOnConnectFail = false;
            options.ClientName ??= "multiorg";
            return ConnectionMultiplexer.Connect(options);
        });
        services.AddSingleton<RedisOrganizationEvents>();
        services.AddSingleton<IOrganizationEvents>(sp => sp.GetRequiredService<RedisOrganizationEvents>());
        services.AddHostedService(sp => sp.GetRequiredService<RedisOrganizationEvents>());
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: [HealthTags.Ready]);
        return services;
    }
}

/// <summary>Ready only while Redis answers: without it, this server's circuits would miss other servers' changes.</summary>
internal sealed class RedisHealthCheck(IConnectionMultiplexer redis, RedisOrganizationEvents events) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!redis.IsConnected)
        {
            return HealthCheckResult.Unhealthy("Redis is not connected.");
        }

        try
        {
            var latency = await redis.GetDatabase().PingAsync();
            return events.IsListening
                ? HealthCheckResult.Healthy($"Redis answered in {latency.TotalMilliseconds:0.#} ms.")
                : HealthCheckResult.Unhealthy("Not subscribed to the organization events channel yet.");
        }
        catch (Exception error) when (error is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Redis does not answer.", error);
        }
    }
}
