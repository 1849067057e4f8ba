using MultiOrg.Domain.Billing;

namespace MultiOrg.Web.Billing;

/// <summary>
/// Closes billing periods in the background: statements for every organization whose period ended, past-due status
/// for unpaid ones. Each run is idempotent (a period has one statement), so a run repeated, or run by two servers at
/// once, writes nothing twice.
/// </summary>
internal sealed partial class PeriodCloseJob(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<PeriodCloseJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMinutes(Math.Max(1, configuration.GetValue("Billing:CloseIntervalMinutes", 15)));
        using var timer = new PeriodicTimer(interval);
        do
        {
            await RunOnceAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task RunOnceAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var run = await scope.ServiceProvider.GetRequiredService<StatementService>().CloseDuePeriodsAsync(ct);
            if (run.Due > 0)
            {
                LogRun(run.Due, run.Updated, run.Failures.Count);
            }

            foreach (var (organizationId, error) in run.Failures)
            {
                LogFailure(error, organizationId);
            }
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // The next tick retries; a broken run must not stop the host.
            LogCrash(error);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Period close: {Due} organization(s) due, {Updated} updated, {Failed} failed.")]
    private partial void LogRun(int due, int updated, int failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Period close failed for organization {OrganizationId}; it is retried on the next run.")]
    private partial void LogFailure(Exception error, Guid organizationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Period close run failed.")]
    private partial void LogCrash(Exception error);
}
