using System.Globalization;
using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Permissions;

namespace MultiOrg.Domain.Billing;

public sealed partial class BillingService
{
    /// <summary>The largest correction support may make at once, either way: far beyond any real goodwill, far below an overflow.</summary>
    public const long MaxAdjustment = 1_000_000;

    /// <summary>
    /// Takes the cost of one use (an API-key request, an assistant tool call) from the current organization. Refused,
    /// writing nothing, when the balance does not cover it.
    /// </summary>
    public async Task<CreditResult> DebitUsageAsync(string usageKind, string source, string? idempotencyKey = null, CancellationToken ct = default)
    {
        var key = IdempotencyKey(idempotencyKey, "usage");
        var cost = plans.CostOf(usageKind);
        await using var db = dbFactory.Create();
        return await db.WriteAsync(
            async token =>
            {
                await CurrentSubscriptionAsync(db, token, checkOverdue: false);
                // A key made here is new by construction: only a presented one can be a replay.
                var result = await AppendAsync(db, CreditEntryKind.Usage, -cost, $"{usageKind}: {source}", key, tenant.UserId, usageKind, source, token,
                    mayBeReplay: !string.IsNullOrWhiteSpace(idempotencyKey));
                await db.SaveChangesAsync(token);
                return result;
            },
            ct);
    }

    /// <summary>
    /// Support staff correct an organization's balance with a written reason (audited like every change). An API key,
    /// an organization's own people and an impersonation without write are refused.
    /// </summary>
    public async Task<CreditResult> AdjustAsync(Guid organizationId, long amount, string? reason, string? idempotencyKey = null, CancellationToken ct = default)
    {
        var supportUserId = tenant.RequireUser();
        var text = reason?.Trim() ?? "";
        if (text.Length < 10 || text.Length > CreditEntry.ReasonMaxLength)
        {
            throw DomainException.Invalid("reason", $"Write why the balance changes (10 to {CreditEntry.ReasonMaxLength} characters).");
        }

        // The reason shows in the ledger, the audit log and statements: text, not control or text-direction codes.
        if (Text.UserText.FirstForbidden(text) is { } forbidden)
        {
            throw DomainException.Invalid("reason", $"The reason must not contain control, text-direction or invisible characters (found U+{(int)forbidden:X4}).");
        }

        if (amount == 0)
        {
            throw DomainException.Invalid("amount", "The adjustment must add or remove at least one credit.");
        }

        if (amount is > MaxAdjustment or < -MaxAdjustment)
        {
            throw DomainException.Invalid("amount", $"Adjust by at most {MaxAdjustment.ToString("N0", CultureInfo.InvariantCulture)} credits at once.");
        }

        if (tenant.Impersonation is { WriteEnabled: false })
        {
            // The save below acts outside the impersonation's read-only unit of work, so it is refused here.
            throw new DomainException(DomainErrorKind.Forbidden, DomainMessages.ReadOnlyImpersonation);
        }

        var key = IdempotencyKey(idempotencyKey, "adjustment");
        await using (var check = dbFactory.Create())
        {
            await check.RequireSupportStaffAsync(tenant, "Only support staff can adjust an organization's credits.", ct: ct);

            if (!await check.Organizations.AnyAsync(o => o.Id == organizationId, ct))
            {
                throw new DomainException(DomainErrorKind.NotFound, "That organization does not exist.");
            }
        }

        await using var db = dbFactory.CreateFor(tenant.ActingIn(supportUserId, organizationId, "", OrganizationRole.Admin));
        return await db.WriteAsync(
            async token =>
            {
                await CurrentSubscriptionAsync(db, token);
                var result = await AppendAsync(db, CreditEntryKind.Adjustment, amount, text, key, supportUserId, null, null, token);
                await db.SaveChangesAsync(token);
                return result;
            },
            ct);
    }

    public async Task<PagedResult<CreditEntryView>> ListLedgerAsync(LedgerQuery query, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await db.RequireAsync(tenant, Permission.ViewBilling, ct);
        Paging.Require(query.Page, query.PageSize, LedgerQuery.MaxPageSize);
        var (page, pageSize) = (query.Page, query.PageSize);
        var entries = db.Set<CreditEntry>().AsNoTracking();
        if (query.Kind is { } kind)
        {
            entries = entries.Where(e => e.Kind == kind);
        }

        if (query.From is { } from)
        {
            entries = entries.Where(e => e.OccurredAt >= from.ToUniversalTime());
        }

        if (query.To is { } to)
        {
            entries = entries.Where(e => e.OccurredAt < to.ToUniversalTime());
        }

        int total;
        IQueryable<CreditEntry> window;
        if (query.Kind is null && query.From is null && query.To is null)
        {
            // Sequences run 1..N without a gap, so the newest number is the count and a page is a range of the index.
            var last = await entries.OrderByDescending(e => e.Sequence).Select(e => e.Sequence).FirstOrDefaultAsync(ct);
            total = (int)Math.Min(last, int.MaxValue);
            var high = last - ((long)(page - 1) * pageSize);
            window = entries.Where(e => e.Sequence <= high && e.Sequence > high - pageSize);
        }
        else
        {
            total = await entries.CountAsync(ct);
            window = entries.OrderByDescending(e => e.Sequence).Skip((page - 1) * pageSize).Take(pageSize);
        }

        var items = await window.OrderByDescending(e => e.Sequence)
            .Select(e => new CreditEntryView(e.Sequence, e.OccurredAt, e.Kind, e.Amount, e.BalanceAfter, e.Reason, e.UsageKind, e.UsageSource,
                db.Users.Where(u => u.Id == e.ActorUserId).Select(u => u.DisplayName ?? u.Email).FirstOrDefault()))
            .ToListAsync(ct);
        return new PagedResult<CreditEntryView>(items, total, page, pageSize);
    }

    private static string IdempotencyKey(string? presented, string kind)
    {
        var key = presented?.Trim();
        if (string.IsNullOrEmpty(key))
        {
            return $"{kind}:{Guid.CreateVersion7():N}";
        }

        return key.Length <= 100 ? $"{kind}:{key}" : throw DomainException.Invalid("idempotencyKey", "The idempotency key must be at most 100 characters.");
    }

    /// <summary>The ledger's last entry: the stored one, unless this unit of work already appended after it (an allowance just before a debit).</summary>
    private static async Task<CreditEntry?> TailAsync(IMultiOrgDb db, CancellationToken ct)
    {
        var stored = await db.Set<CreditEntry>().AsNoTracking().OrderByDescending(e => e.Sequence).FirstOrDefaultAsync(ct);
        var pending = db.Set<CreditEntry>().Local.Where(e => stored is null || e.Sequence > stored.Sequence).MaxBy(e => e.Sequence);
        return pending ?? stored;
    }

    /// <summary>The one way credits move. Call with the organization's write lock held.</summary>
    private async Task<CreditResult> AppendAsync(
        IMultiOrgDb db, CreditEntryKind kind, long amount, string reason, string idempotencyKey, string? actorUserId, string? usageKind, string? usageSource, CancellationToken ct,
        bool mayBeReplay = true)
    {
        var existing = !mayBeReplay ? null
            : db.Set<CreditEntry>().Local.FirstOrDefault(e => e.IdempotencyKey == idempotencyKey)
                ?? await db.Set<CreditEntry>().SingleOrDefaultAsync(e => e.IdempotencyKey == idempotencyKey, ct);
        if (existing is not null)
        {
            return new CreditResult(View(existing), Replayed: true);
        }

        var last = await TailAsync(db, ct);
        var balance = last?.BalanceAfter ?? 0;
        if (balance + amount < 0)
        {
            throw new DomainException(DomainErrorKind.InsufficientCredits, $"Insufficient credits: balance {balance}, needed {-amount}.");
        }

        var entry = new CreditEntry
        {
            Sequence = (last?.Sequence ?? 0) + 1,
            Kind = kind,
            Amount = amount,
            BalanceAfter = balance + amount,
            Reason = reason.Length > CreditEntry.ReasonMaxLength ? reason[..CreditEntry.ReasonMaxLength] : reason,
            UsageKind = usageKind,
            UsageSource = usageSource,
            ActorUserId = actorUserId,
            IdempotencyKey = idempotencyKey,
            OccurredAt = Now,
        };
        db.Set<CreditEntry>().Add(entry);
        await UsageRollup.AddAsync(db, entry, ct);

        return new CreditResult(View(entry), Replayed: false);
    }

    private static CreditEntryView View(CreditEntry e) =>
        new(e.Sequence, e.OccurredAt, e.Kind, e.Amount, e.BalanceAfter, e.Reason, e.UsageKind, e.UsageSource, null);
}
