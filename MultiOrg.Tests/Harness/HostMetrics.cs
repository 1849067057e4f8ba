using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using MultiOrg.Web.Hosting;

namespace MultiOrg.Tests.Harness;

/// <summary>
/// Listens to one test host's own instruments (through that host's <see cref="IMeterFactory"/>, so other hosts in the
/// process are never seen). Made as the host's first hosted service: its collectors exist before any job's first run.
/// </summary>
public sealed class HostMetrics : IHostedService, IDisposable
{
    public HostMetrics(IMeterFactory meters)
    {
        Requests = new MetricCollector<long>(meters, AppMetrics.MeterName, "multiorg.requests");
        Errors = new MetricCollector<long>(meters, AppMetrics.MeterName, "multiorg.request.errors");
        JobRuns = new MetricCollector<long>(meters, AppMetrics.MeterName, "multiorg.job.runs");
        RequestDuration = new MetricCollector<double>(meters, "Microsoft.AspNetCore.Hosting", "http.server.request.duration");
    }

    public MetricCollector<long> Requests { get; }

    public MetricCollector<long> Errors { get; }

    public MetricCollector<long> JobRuns { get; }

    public MetricCollector<double> RequestDuration { get; }

    /// <summary>Registers the collectors in front of every other hosted service.</summary>
    public static void AddTo(IServiceCollection services)
    {
        services.AddSingleton<HostMetrics>();
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService>(sp => sp.GetRequiredService<HostMetrics>()));
    }

    /// <summary>The sum of a counter's measurements whose tag <paramref name="tag"/> is <paramref name="value"/>.</summary>
    public static long Sum(MetricCollector<long> collector, string tag, string value) =>
        collector.GetMeasurementSnapshot().Where(m => Equals(m.Tags.GetValueOrDefault(tag), value)).Sum(m => m.Value);

    /// <summary>
    /// Waits until a measurement matching <paramref name="match"/> has been recorded (returns at once when one already
    /// was); fails after <paramref name="bound"/>, a bound for a loaded machine rather than a delay.
    /// </summary>
    public static async Task<CollectedMeasurement<T>> WaitForAsync<T>(MetricCollector<T> collector, Func<CollectedMeasurement<T>, bool> match, TimeSpan bound)
        where T : struct
    {
        using var timeout = new CancellationTokenSource(bound);
        while (true)
        {
            var seen = collector.GetMeasurementSnapshot();
            if (seen.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            try
            {
                await collector.WaitForMeasurementsAsync(seen.Count + 1, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No matching measurement of {collector.Instrument?.Name} within {bound}; {seen.Count} others were recorded.");
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        Requests.Dispose();
        Errors.Dispose();
        JobRuns.Dispose();
        RequestDuration.Dispose();
    }
}
