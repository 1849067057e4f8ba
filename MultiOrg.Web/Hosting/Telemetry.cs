using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MultiOrg.Web.Hosting;

/// <summary>The <c>OpenTelemetry</c> section: where metrics and traces are sent over OTLP.</summary>
public sealed class TelemetryOptions : IValidatableObject
{
    public const string Section = "OpenTelemetry";

    [Description("an OpenTelemetry collector's OTLP address (`http://otel-collector:4317`); set: metrics and traces (ASP.NET Core, EF Core, HttpClient, organization entries, jobs) are exported there; unset: nothing is exported, and no spans are recorded")]
    public string? Endpoint { get; set; }

    [Description("`Grpc` (port 4317) or `HttpProtobuf` (port 4318; `/v1/traces` and `/v1/metrics` are added to the address)")]
    [EnumDataType(typeof(OtlpExportProtocol))]
    public OtlpExportProtocol Protocol { get; set; } = OtlpExportProtocol.Grpc;

    [Description("`service.name` of everything exported")]
    [Required]
    public string ServiceName { get; set; } = "MultiOrg";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(Endpoint)
            && (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            yield return new ValidationResult("must be an absolute http or https address such as http://otel-collector:4317", [nameof(Endpoint)]);
        }
    }
}

/// <summary>
/// Metrics are always collected (Prometheus text on the management address, <see cref="MetricsPort"/>); with
/// <c>OpenTelemetry:Endpoint</c> set, metrics and traces also go to that collector over OTLP.
/// </summary>
public static class Telemetry
{
    public static void AddMultiOrgTelemetry(this WebApplicationBuilder builder)
    {
        var settings = builder.Services.ReadSettings<TelemetryOptions>(builder.Configuration, TelemetryOptions.Section);
        builder.Services.AddSingleton<AppMetrics>();
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(settings.ServiceName))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter(AppMetrics.MeterName, "Microsoft.AspNetCore.Components.Server.Circuits", "Microsoft.EntityFrameworkCore")
                .AddPrometheusExporter(options => options.ScrapeResponseCacheDurationMilliseconds = 0));
        if (string.IsNullOrWhiteSpace(settings.Endpoint))
        {
            return;
        }

        // Spans only where they go somewhere: recording them for nobody would cost every request.
        telemetry
            .WithTracing(tracing => tracing
                .AddSource(Domain.AppTracing.SourceName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddEntityFrameworkCoreInstrumentation())
            .UseOtlpExporter(settings.Protocol, new Uri(settings.Endpoint));
    }
}
