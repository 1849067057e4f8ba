using Microsoft.Extensions.Options;
using MultiOrg.Domain.Billing;
using MultiOrg.Web.Hosting;

namespace MultiOrg.Web.Features.Billing;

/// <summary>
/// Closes billing periods in the background: statements for every organization whose period ended, past-due status
/// for unpaid ones. Once per <c>Billing:CloseIntervalMinutes</c> across all servers; each run is idempotent anyway (a
/// period has one statement).
/// </summary>
internal sealed partial class PeriodCloseJob(IServiceScopeFactory scopes, TimeProvider time, IOptions<JobsSettings> jobs, IOptions<BillingOptions> billing, AppMetrics metrics, ILogger<PeriodCloseJob> logger)
    : ScheduledJob(scopes, time, jobs, metrics, logger)
{
    public const string JobName = "billing-period-close";

    protected override string Name => JobName;

    protected override TimeSpan DefaultInterval => TimeSpan.FromMinutes(billing.Value.CloseIntervalMinutes);

    protected override async Task<string> RunAsync(IServiceProvider services, DateTime now, CancellationToken ct)
    {
        var run = await services.GetRequiredService<StatementService>().CloseDuePeriodsAsync(ct);
        foreach (var (organizationId, error) in run.Failures)
        {
            LogFailure(error, organizationId);
        }

        return $"{run.Due} due, {run.Updated} updated, {run.Failures.Count} failed";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Period close failed for organization {OrganizationId}; it is retried on the next run.")]
    private partial void LogFailure(Exception error, Guid organizationId);
}
