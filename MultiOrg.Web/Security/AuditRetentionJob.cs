using Microsoft.Extensions.Options;
using MultiOrg.Domain.Audit;
using MultiOrg.Domain.Security;
using MultiOrg.Web.Hosting;

namespace MultiOrg.Web.Security;

/// <summary>
/// Runs audit retention once an hour, once across all servers (the JobRuns lease). Deliberately thin: the work and its
/// tests are <see cref="SecurityDirectory.PurgeExpiredAuditEntriesAsync"/>.
/// </summary>
internal sealed partial class AuditRetentionJob(IServiceScopeFactory scopes, TimeProvider time, IConfiguration configuration, AppMetrics metrics, ILogger<AuditRetentionJob> logger)
    : ScheduledJob(scopes, time, configuration, metrics, logger)
{
    public const string JobName = "audit-retention";

    protected override string Name => JobName;

    protected override TimeSpan DefaultInterval => TimeSpan.FromHours(1);

    protected override async Task<string> RunAsync(IServiceProvider services, DateTime now, CancellationToken ct)
    {
        var directory = services.GetRequiredService<SecurityDirectory>();
        var minimum = services.GetRequiredService<IOptions<AuditOptions>>().Value.MinimumRetentionDays;
        var purges = await directory.PurgeExpiredAuditEntriesAsync(now, minimum, ct);
        var deleted = await directory.PurgeDeletedOrganizationsAsync(now, minimum, ct);
        foreach (var purge in purges)
        {
            LogPurge(purge.Entries, purge.OrganizationId, purge.PurgedThroughSequence);
        }

        return $"{purges.Count} organization(s) purged, {deleted} deleted organization(s)' trails removed";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit retention removed {Entries} entries of organization {OrganizationId} (through {Sequence})")]
    private partial void LogPurge(int entries, Guid organizationId, long sequence);
}
