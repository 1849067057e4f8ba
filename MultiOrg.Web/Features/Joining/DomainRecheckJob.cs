using MultiOrg.Domain.Joining;
using MultiOrg.Web.Hosting;

namespace MultiOrg.Web.Features.Joining;

/// <summary>
/// Re-checks every DNS-verified domain once a day, once across all servers (the JobRuns lease). Thin: the work and its
/// tests are <see cref="DomainVerificationService.RecheckAllAsync"/>.
/// </summary>
internal sealed partial class DomainRecheckJob(IServiceScopeFactory scopes, TimeProvider time, Microsoft.Extensions.Options.IOptions<JobsSettings> jobs, AppMetrics metrics, ILogger<DomainRecheckJob> logger)
    : ScheduledJob(scopes, time, jobs, metrics, logger)
{
    public const string JobName = "domain-recheck";

    protected override string Name => JobName;

    protected override TimeSpan DefaultInterval => TimeSpan.FromDays(1);

    protected override async Task<string> RunAsync(IServiceProvider services, DateTime now, CancellationToken ct)
    {
        var run = await services.GetRequiredService<DomainVerificationService>().RecheckAllAsync(ct);
        if (run.Lapsed > 0 || run.Failed > 0)
        {
            LogRun(run.Checked, run.Lapsed, run.Failed);
        }

        return DnsTxtLookup.Describe(run);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Domain re-check: {Checked} DNS proofs checked, {Lapsed} lapsed (record gone), {Failed} without an answer (kept)")]
    private partial void LogRun(int @checked, int lapsed, int failed);
}
