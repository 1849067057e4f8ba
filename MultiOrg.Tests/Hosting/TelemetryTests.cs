using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MultiOrg.Domain;
using OpenTelemetry.Trace;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Hosting;

/// <summary>
/// With <c>OpenTelemetry:Endpoint</c> set, the app's tracer provider records its own spans (entering an organization, a
/// job's run) beside ASP.NET Core's and EF Core's; the test adds an in-memory exporter to that same provider.
/// </summary>
public sealed class TelemetryTests : IDisposable
{
    private readonly List<Activity> spans = [];
    private readonly ApiFactory factory;

    public TelemetryTests()
    {
        // Nothing listens on the discard port: the OTLP exporter fails quietly, the in-memory one records.
        factory = new ApiFactory(new Dictionary<string, string> { ["OpenTelemetry:Endpoint"] = "http://127.0.0.1:9" })
        {
            ExtraServices = services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans)),
        };
    }

    public void Dispose() => factory.Dispose();

    private List<Activity> Spans()
    {
        lock (spans)
        {
            return [.. spans];
        }
    }

    [Fact]
    public async Task Entering_an_organization_is_a_span_inside_the_request_with_the_database_commands_beside_it()
    {
        var owner = await factory.RegisterAsync("traced");
        var organizationId = await owner.CreateOrganizationAsync("Traced");

        (await owner.Client.GetAsync($"/api/organizations/{organizationId}/members")).EnsureSuccessStatusCode();

        var enter = Spans().Where(s => s.OperationName == "organization.enter" && Equals(s.GetTagItem(AppTracing.OrganizationTag), organizationId)).ToList();
        enter.Should().NotBeEmpty("the API call entered the organization");
        var entered = enter[^1];
        var request = Spans().Single(s => s.SpanId == entered.ParentSpanId);
        request.Source.Name.Should().Be("Microsoft.AspNetCore", "the span is a child of the request's own span");
        request.DisplayName.Should().Contain("members");
        Spans().Should().Contain(s => s.TraceId == entered.TraceId && s.Source.Name.Contains("EntityFrameworkCore", StringComparison.Ordinal),
            "EF Core's commands are traced in the same request");
    }

    [Fact]
    public async Task A_job_run_is_a_span_named_for_the_job()
    {
        _ = factory.Services;
        var job = factory.Services.GetServices<IHostedService>().OfType<MultiOrg.Web.Features.Billing.PeriodCloseJob>().Single();
        using var root = new Activity("test-root");
        root.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        root.Start();

        await job.TickAsync(CancellationToken.None);
        root.Stop();

        Spans().Should().Contain(s => s.ParentSpanId == root.SpanId && s.OperationName == "job billing-period-close"
            && Equals(s.GetTagItem("multiorg.job"), "billing-period-close"));
    }
}
