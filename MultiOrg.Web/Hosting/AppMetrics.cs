using System.Diagnostics.Metrics;
using MultiOrg.Web.ApiKeys;

namespace MultiOrg.Web.Hosting;

/// <summary>
/// MultiOrg's own instruments (meter <c>MultiOrg</c>), exported with ASP.NET Core's and Blazor's built-in ones on
/// <c>/metrics</c>: requests and errors per door, job runs, organization events. Open circuits come from Blazor's own
/// meter (<c>aspnetcore.components.circuit.active</c>).
/// </summary>
public static class AppMetrics
{
    public const string MeterName = "MultiOrg";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Requests = Meter.CreateCounter<long>(
        "multiorg.requests", "{request}", "HTTP requests, per door (page, api, api-key, assistant, circuit)");

    private static readonly string[] Doors = ["page", "api", "api-key", "assistant", "circuit"];

    private static readonly long[] ErrorCounts = new long[Doors.Length];

    // Observed, so every door's series is there from the start at 0: an alert on its rate has something to compare with.
    private static readonly ObservableCounter<long> Errors = Meter.CreateObservableCounter(
        "multiorg.request.errors",
        () => Doors.Select((door, i) => new Measurement<long>(Interlocked.Read(ref ErrorCounts[i]), new KeyValuePair<string, object?>("door", door))),
        "{request}",
        "Requests that failed on the server (status 500 or above, or an unhandled exception), per door");

    private static readonly Counter<long> JobRuns = Meter.CreateCounter<long>(
        "multiorg.job.runs", "{run}", "Background job runs on this server (a due time another server held is not counted)");

    private static readonly Counter<long> EventsDelivered = Meter.CreateCounter<long>(
        "multiorg.events.delivered", "{event}", "Organization events handed to this server's circuits, per kind");

    public static void JobRan(string job) => JobRuns.Add(1, new KeyValuePair<string, object?>("job", job));

    public static void EventDelivered(Domain.Events.OrganizationEventKind kind) =>
        EventsDelivered.Add(1, new KeyValuePair<string, object?>("kind", kind.ToString()));

    /// <summary>Which door a request came through: the same names as the audit log's.</summary>
    public static string DoorOf(HttpRequest request) =>
        request.Path.StartsWithSegments("/mcp") ? "assistant"
        : request.Path.StartsWithSegments("/_blazor") ? "circuit"
        : request.Path.StartsWithSegments("/api") ? (ApiKeyAuthenticationHandler.ReadKey(request) is not null ? "api-key" : "api")
        : "page";

    /// <summary>Counts every request and its server errors by door; the metrics endpoint itself is left out.</summary>
    public static IApplicationBuilder UseDoorMetrics(this IApplicationBuilder app) => app.Use(CountAsync);

    private static async Task CountAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path.StartsWithSegments("/metrics"))
        {
            await next(context);
            return;
        }

        var name = DoorOf(context.Request);
        Requests.Add(1, new KeyValuePair<string, object?>("door", name));
        try
        {
            await next(context);
        }
        catch
        {
            Interlocked.Increment(ref ErrorCounts[Array.IndexOf(Doors, name)]);
            throw;
        }

        if (context.Response.StatusCode >= StatusCodes.Status500InternalServerError)
        {
            Interlocked.Increment(ref ErrorCounts[Array.IndexOf(Doors, name)]);
        }
    }
}
