using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Jobs;

/// <summary>
/// Makes a background job run once per due time across every server sharing the database: a run is claimed by
/// inserting its (job, due time) row, which only one server can do.
/// </summary>
public sealed class JobLeases(IMultiOrgDbFactory dbFactory)
{
    public const int OutcomeMaxLength = 500;

    /// <summary>The due time a run at <paramref name="now"/> belongs to: the start of its interval, the same on every server.</summary>
    public static DateTime DueSlot(DateTime now, TimeSpan interval) =>
        new(now.Ticks - (now.Ticks % interval.Ticks), DateTimeKind.Utc);

    /// <summary>The claimed run, or null when another server (or an earlier tick) already holds this due time.</summary>
    public async Task<JobRun?> TryClaimAsync(string job, DateTime dueAt, string holder, DateTime now, CancellationToken ct = default)
    {
        await using var db = dbFactory.CreateFor(new TenantContext());
        if (await db.Set<JobRun>().AnyAsync(r => r.Job == job && r.DueAt == dueAt, ct))
        {
            return null;
        }

        var run = new JobRun { Job = job, DueAt = dueAt, Holder = holder, StartedAt = now };
        db.Set<JobRun>().Add(run);
        try
        {
            await db.SaveChangesAsync(ct);
            return run;
        }
        catch (DbUpdateException)
        {
            // Another server inserted the same (job, due time) between our check and our insert: it runs, we don't.
            return null;
        }
    }

    public async Task FinishAsync(JobRun run, string outcome, DateTime now, CancellationToken ct = default)
    {
        await using var db = dbFactory.CreateFor(new TenantContext());
        await db.Set<JobRun>().Where(r => r.Id == run.Id).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.FinishedAt, now)
            .SetProperty(r => r.Outcome, outcome.Length > OutcomeMaxLength ? outcome[..OutcomeMaxLength] : outcome), ct);
    }
}
