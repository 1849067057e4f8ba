using Microsoft.Extensions.Options;
using MultiOrg.Domain.Audit;
using MultiOrg.Domain.Security;
using MultiOrg.Web.Hosting;

namespace MultiOrg.Web.Features.Audit;

/// <summary>The <c>Security</c> section.</summary>
public sealed class AuditRetentionSettings
{
    public const string Section = "Security";

    [System.ComponentModel.Description("whether this server runs the audit retention job (removes entries older than each organization's retention); `false` leaves it to the other servers or stops it")]
    public bool AuditRetentionJob { get; set; } = true;
}

/// <summary>
/// Runs audit retention once an hour, once across all servers (the JobRuns lease). Deliberately thin: the work and its
/// tests are <see cref="SecurityLookup.PurgeExpiredAuditEntriesAsync"/>.
/// </summary>
internal sealed partial class AuditRetentionJob(IServiceScopeFactory scopes, TimeProvider time, IOptions<JobsSettings> jobs, AppMetrics metrics, ILogger<AuditRetentionJob> logger)
    : ScheduledJob(scopes, time, jobs, metrics, logger)
{
    public const string JobName = "audit-retention";

    protected override string Name => JobName;

    protected override TimeSpan DefaultInterval => TimeSpan.FromHours(1);

    protected override async Task<string> RunAsync(IServiceProvider services, DateTime now, CancellationToken ct)
    {
        var directory = services.GetRequiredService<SecurityLookup>();
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
