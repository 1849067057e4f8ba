using Microsoft.AspNetCore.Components.Web;
using StackExchange.Redis;
using MultiOrg.Web.Features.Security;
using MultiOrg.Web.Shell;

namespace MultiOrg.Web.Hosting;

/// <summary>The <c>Circuits</c> section.</summary>
public sealed class CircuitSettings
{
    public const string Section = "Circuits";

    [System.ComponentModel.Description("how long a disconnected tab's circuit waits on its server for the browser to come back before its state is persisted and the circuit let go; none: the framework's 3 minutes")]
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan? DisconnectedRetention { get; set; }

    [System.ComponentModel.Description("how long (seconds) a tab stays hidden (another tab in front, the window minimised) before it pauses: its circuit's state goes to the browser and the server lets the circuit go; shown again, it resumes in place, in its organization and on its page; 0: hidden tabs keep their circuit")]
    [System.ComponentModel.DataAnnotations.Range(0, 86400)]
    public int PauseHiddenAfterSeconds { get; set; } = 60;
}

/// <summary>
/// .NET 10's circuit state persistence: a paused or long-disconnected circuit keeps <see cref="PersistedOrganization"/>.
/// On one server the framework's in-memory store holds it; with <c>Redis:Configuration</c> set, a HybridCache with
/// Redis as its second level holds it, so another server can resume the circuit. The tab's idle time goes with it, and
/// <see cref="CircuitGate"/> checks a circuit whose connection comes up before it renders.
/// </summary>
public static class CircuitPersistence
{
    public static IRazorComponentsBuilder AddCircuitPersistence(this IRazorComponentsBuilder components, IConfiguration configuration)
    {
        components.Services.AddScoped<PersistedOrganization>();

        // How long a disconnected circuit waits on its server for the browser to come back before its state is persisted
        // and the circuit let go (the framework's default is 3 minutes).
        if (components.Services.ReadSettings<CircuitSettings>(configuration, CircuitSettings.Section).DisconnectedRetention is { } retention)
        {
            components.Services.Configure<Microsoft.AspNetCore.Components.Server.CircuitOptions>(options => options.DisconnectedCircuitRetentionPeriod = retention);
        }

        components.RegisterPersistentService<PersistedOrganization>(RenderMode.InteractiveServer);

        // A resumed tab is as idle as it was, and is checked (stamp, address, idle time) before it renders.
        components.RegisterPersistentService<IdleWatch>(RenderMode.InteractiveServer);
        components.Services.AddScoped<CircuitGate>();
        components.Services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler>(services => services.GetRequiredService<CircuitGate>());
        if (components.Services.ReadSettings<Events.RedisSettings>(configuration, Events.RedisSettings.Section).Configuration is { Length: > 0 } configured
            && !string.IsNullOrWhiteSpace(configured))
        {
            // Its own connection: the cache closes the connection it holds when the host stops, and the event port still
            // unsubscribes on its own after that.
            var redis = ConfigurationOptions.Parse(configured);
            redis.AbortOnConnectFail = false;
            redis.ClientName ??= "multiorg-circuits";
            components.Services.AddStackExchangeRedisCache(options =>
            {
                options.ConfigurationOptions = redis;
                options.InstanceName = "multiorg:";
            });
            components.Services.AddHybridCache();
        }

        return components;
    }
}
