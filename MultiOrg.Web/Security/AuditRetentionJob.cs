using MultiOrg.Domain.Security;

namespace MultiOrg.Web.Security;

/// <summary>
/// Runs audit retention once an hour. Deliberately thin: the work (and its tests) is
/// <see cref="SecurityDirectory.PurgeExpiredAuditEntriesAsync"/>, so the job can move onto a run-once lease unchanged.
/// </summary>
public sealed class AuditRetentionJob(IServiceScopeFactory scopes, TimeProvider time, ILogger<AuditRetentionJob> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var purges = await scope.ServiceProvider.GetRequiredService<SecurityDirectory>()
                    .PurgeExpiredAuditEntriesAsync(time.GetUtcNow().UtcDateTime, stoppingToken);
                foreach (var purge in purges)
                {
                    logger.LogInformation("Audit retention removed {Entries} entries of organization {OrganizationId} (through {Sequence})",
                        purge.Entries, purge.OrganizationId, purge.PurgedThroughSequence);
                }
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // One failed run must not stop the next: the log says why, the next hour tries again.
                logger.LogError(error, "Audit retention failed; it runs again in {Interval}", Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
