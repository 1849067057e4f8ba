using Microsoft.EntityFrameworkCore;

namespace MultiOrg.Domain.Billing;

/// <summary>
/// Keeps <see cref="CreditUsageDay"/> in step with the ledger: every writer of a usage entry (the service's append, the
/// demo seed) adds it here in the same unit of work, or the 30-day chart misses credits the ledger and statement show.
/// </summary>
public static class UsageRollup
{
    /// <summary>Adds a usage entry's credits to its UTC day's row for its kind. Other kinds of entry are no usage.</summary>
    public static async Task AddAsync(IMultiOrgDb db, CreditEntry entry, CancellationToken ct)
    {
        if (entry.Kind != CreditEntryKind.Usage)
        {
            return;
        }

        var day = DateOnly.FromDateTime(entry.OccurredAt);
        var kind = entry.UsageKind ?? "other";
        var rollup = db.Set<CreditUsageDay>().Local.FirstOrDefault(d => d.Day == day && d.UsageKind == kind)
            ?? await db.Set<CreditUsageDay>().SingleOrDefaultAsync(d => d.Day == day && d.UsageKind == kind, ct);
        if (rollup is null)
        {
            db.Set<CreditUsageDay>().Add(new CreditUsageDay { Day = day, UsageKind = kind, Credits = -entry.Amount });
        }
        else
        {
            rollup.Credits -= entry.Amount;
        }
    }
}
