using System.Diagnostics.Metrics;
using MultiOrg.Web.Features.ApiKeys;

namespace MultiOrg.Web.Hosting;

/// <summary>
/// MultiOrg's own instruments (meter <c>MultiOrg</c>), exported with ASP.NET Core's and Blazor's built-in ones on
/// <c>/metrics</c>: requests and errors per door, job runs, organization events. Open circuits come from Blazor's own
/// meter (<c>aspnetcore.components.circuit.active</c>).
/// </summary>
/// <remarks>
/// The meter comes from the host's <see cref="IMeterFactory"/>, so each host (each test host in one test process) has its
/// own instruments and counts: a listener scoped to one host never sees another's requests.
/// </remarks>
public sealed class AppMetrics
{
    public const string MeterName = "MultiOrg";

    private static readonly string[] Doors = ["page", "api", "api-key", "assistant", "circuit", "directory"];

    private readonly Counter<long> requests;
    private readonly Counter<long> jobRuns;
    private readonly Counter<long> eventsDelivered;
    private readonly long[] errorCounts = new long[Doors.Length];

    public AppMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        requests = meter.CreateCounter<long>(
            "multiorg.requests", "{request}", "HTTP requests, per door (page, api, api-key, assistant, circuit, directory)");

        // Observed, so every door's series is there from the start at 0: an alert on its rate has something to compare with.
        meter.CreateObservableCounter(
            "multiorg.request.errors",
            () => Doors.Select((door, i) => new Measurement<long>(Interlocked.Read(ref errorCounts[i]), new KeyValuePair<string, object?>("door", door))),
            "{request}",
            "Requests that failed on the server (status 500 or above, or an unhandled exception), per door");
        jobRuns = meter.CreateCounter<long>(
            "multiorg.job.runs", "{run}", "Background job runs on this server (a due time another server held is not counted)");
        eventsDelivered = meter.CreateCounter<long>(
            "multiorg.events.delivered", "{event}", "Organization events handed to this server's circuits, per kind");
    }

    public void JobRan(string job) => jobRuns.Add(1, new KeyValuePair<string, object?>("job", job));

    public void EventDelivered(Domain.Events.OrganizationEventKind kind) =>
        eventsDelivered.Add(1, new KeyValuePair<string, object?>("kind", kind.ToString()));

    /// <summary>Which door a request came through: the same names as the audit log's.</summary>
    public static string DoorOf(HttpRequest request) =>
        request.Path.StartsWithSegments("/mcp") ? "assistant"
        : request.Path.StartsWithSegments("/_blazor") ? "circuit"
        : request.Path.StartsWithSegments("/scim") ? "directory"
        : request.Path.StartsWithSegments("/api") ? (ApiKeyAuthenticationHandler.ReadKey(request) is not null ? "api-key" : "api")
        : "page";

    /// <summary>Counts one request and, when it fails on the server, its error; the metrics endpoint itself is left out.</summary>
    public async Task CountAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.Request.Path.StartsWithSegments("/metrics"))
        {
            await next(context);
            return;
        }

        var name = DoorOf(context.Request);
        requests.Add(1, new KeyValuePair<string, object?>("door", name));
        try
        {
            await next(context);
        }
        catch
        {
            Interlocked.Increment(ref errorCounts[Array.IndexOf(Doors, name)]);
            throw;
        }

        if (context.Response.StatusCode >= StatusCodes.Status500InternalServerError)
        {
            Interlocked.Increment(ref errorCounts[Array.IndexOf(Doors, name)]);
        }
    }
}

public static class AppMetricsSetup
{
    /// <summary>Counts every request and its server errors by door, with the host's own <see cref="AppMetrics"/>.</summary>
    public static IApplicationBuilder UseDoorMetrics(this IApplicationBuilder app)
    {
        var metrics = app.ApplicationServices.GetRequiredService<AppMetrics>();
        return app.Use(metrics.CountAsync);
    }
}
