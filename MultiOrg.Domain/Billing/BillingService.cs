using System.Globalization;
using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Domain.Users;

namespace MultiOrg.Domain.Billing;

/// <summary>
/// The current organization's plan, seats and credits. OWNERs change them, ADMINs read them, MEMBERs see nothing.
/// Every credit movement goes through one append routine under the organization's write lock, so parallel debits never
/// overdraw and a replayed idempotency key returns its first result.
/// </summary>
public sealed class BillingService(IMultiOrgDbFactory dbFactory, TenantContext tenant, PlanCatalog plans, TimeProvider time)
{
    public const int MaxCreditPacks = 100;

    /// <summary>
    /// Plan, seats, balance and the last 30 days of usage. With <paramref name="mayWrite"/> (a live page or an API call,
    /// never prerendering) the period is brought up to date first, so this month's allowance is in the ledger.
    /// </summary>
    public async Task<BillingSummary> GetSummaryAsync(bool mayWrite = true, CancellationToken ct = default)
    {
        if (mayWrite)
        {
            await using var writer = dbFactory.Create();
            await using var transaction = await writer.BeginWriteTransactionAsync(ct);
            await writer.RequireAsync(tenant, Permission.ViewBilling, ct);
            if (tenant.Impersonation is not { WriteEnabled: false })
            {
                await CurrentSubscriptionAsync(writer, ct);
                await writer.SaveChangesAsync(ct);
            }

            await transaction.CommitAsync(ct);
        }

        await using var db = dbFactory.Create();
        var me = await db.RequireAsync(tenant, Permission.ViewBilling, ct);
        var now = Now;
        var subscription = await db.Set<Subscription>().AsNoTracking().SingleOrDefaultAsync(ct) ?? NewSubscription(now);
        var plan = plans.For(subscription.PlanCode);
        var (_, seatsUsed) = await SeatUsageAsync(db, plans, me.OrganizationId, ct);
        var balance = await BalanceAsync(db, ct);
        var since = DateOnly.FromDateTime(now).AddDays(-29);
        var usage = await db.Set<CreditUsageDay>().AsNoTracking()
            .Where(d => d.Day >= since)
            .GroupBy(d => d.Day)
            .Select(g => new { Day = g.Key, Credits = g.Sum(d => d.Credits) })
            .ToListAsync(ct);
        var byDay = usage.ToDictionary(u => u.Day, u => u.Credits);
        var days = Enumerable.Range(0, 30).Select(since.AddDays)
            .Select(d => new UsageDay(d, byDay.GetValueOrDefault(d))).ToList();

        return new BillingSummary(
            PlanView.Of(plan, plans.Currency), subscription.Seats, seatsUsed, subscription.Status, subscription.PeriodStart, subscription.PeriodEnd,
            plan.MonthlyTotal(subscription.Seats), plans.Currency, subscription.PendingPlanCode, subscription.PendingSeats, balance, days,
            [.. plans.Plans.Select(p => PlanView.Of(p, plans.Currency))], plans.Options.CreditPackSize, plans.Options.CreditPackPrice);
    }

    /// <summary>
    /// What changing to this plan and seat count would do: a higher monthly total applies at once with a charge for the
    /// rest of the period; a lower one waits for the period end. Fewer seats than members is refused, naming both.
    /// </summary>
    public async Task<PlanChangePreview> PreviewChangeAsync(string? planCode, int? seats, CancellationToken ct = default)
    {
        // Priced against the current period: one that ended since the last billing write is closed first.
        await using var db = dbFactory.Create();
        await using var transaction = await db.BeginWriteTransactionAsync(ct);
        var me = await db.RequireAsync(tenant, Permission.ManageBilling, ct);
        var subscription = await CurrentSubscriptionAsync(db, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return await PreviewAsync(db, me.OrganizationId, subscription, planCode, seats, ct);
    }

    public async Task<PlanChangePreview> ChangePlanAsync(string? planCode, int? seats, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await using var transaction = await db.BeginWriteTransactionAsync(ct);
        var me = await db.RequireAsync(tenant, Permission.ManageBilling, ct);
        var subscription = await CurrentSubscriptionAsync(db, ct);
        var preview = await PreviewAsync(db, me.OrganizationId, subscription, planCode, seats, ct);
        var newPlan = plans.For(preview.PlanCode);
        if (preview.TakesEffectNow)
        {
            var oldPlan = plans.For(subscription.PlanCode);
            subscription.PlanCode = newPlan.Code;
            subscription.Seats = preview.Seats;
            subscription.PendingPlanCode = null;
            subscription.PendingSeats = null;
            if (preview.ProratedCharge > 0)
            {
                db.Set<BillingCharge>().Add(new BillingCharge
                {
                    Kind = ChargeKind.Proration,
                    Amount = preview.ProratedCharge,
                    Currency = plans.Currency,
                    Description = preview.Summary,
                    PeriodStart = subscription.PeriodStart,
                    ActorUserId = me.UserId,
                    OccurredAt = Now,
                });
            }

            // An upgrade brings the larger plan's credit allowance at once, once per period and plan.
            var extra = newPlan.MonthlyCredits - oldPlan.MonthlyCredits;
            if (extra > 0)
            {
                await AppendAsync(db, CreditEntryKind.Grant, extra, $"{newPlan.Name} allowance (upgrade)", $"allowance:{subscription.PeriodStart:yyyy-MM}:{newPlan.Code}", me.UserId, null, null, ct);
            }
        }
        else
        {
            subscription.PendingPlanCode = newPlan.Code;
            subscription.PendingSeats = preview.Seats;
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return preview;
    }

    /// <summary>Buys credit packs: the credits now, the price on the next statement.</summary>
    public async Task<CreditResult> BuyCreditsAsync(int packs, string? idempotencyKey = null, CancellationToken ct = default)
    {
        if (packs is < 1 or > MaxCreditPacks)
        {
            throw DomainException.Invalid("packs", $"Buy between 1 and {MaxCreditPacks} packs.");
        }

        var key = IdempotencyKey(idempotencyKey, "purchase");
        await using var db = dbFactory.Create();
        await using var transaction = await db.BeginWriteTransactionAsync(ct);
        var me = await db.RequireAsync(tenant, Permission.ManageBilling, ct);
        var subscription = await CurrentSubscriptionAsync(db, ct);
        if (subscription.Status == SubscriptionStatus.PastDue)
        {
            throw new DomainException(DomainErrorKind.Conflict, "A statement is overdue: settle it before buying more credits. Reading and exporting your data still work.");
        }

        var credits = packs * plans.Options.CreditPackSize;
        var result = await AppendAsync(db, CreditEntryKind.Purchase, credits, $"{packs} credit pack(s)", key, me.UserId, null, null, ct);
        if (!result.Replayed)
        {
            db.Set<BillingCharge>().Add(new BillingCharge
            {
                Kind = ChargeKind.CreditPurchase,
                Amount = packs * plans.Options.CreditPackPrice,
                Currency = plans.Currency,
                Description = $"{credits.ToString("N0", CultureInfo.InvariantCulture)} credits",
                PeriodStart = subscription.PeriodStart,
                ActorUserId = me.UserId,
                OccurredAt = Now,
            });
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return result;
    }

    /// <summary>
    /// Takes the cost of one use (an API-key request, an assistant tool call) from the current organization. Refused,
    /// writing nothing, when the balance does not cover it.
    /// </summary>
    public async Task<CreditResult> DebitUsageAsync(string usageKind, string source, string? idempotencyKey = null, CancellationToken ct = default)
    {
        var key = IdempotencyKey(idempotencyKey, "usage");
        var cost = plans.CostOf(usageKind);
        await using var db = dbFactory.Create();
        await using var transaction = await db.BeginWriteTransactionAsync(ct);
        await CurrentSubscriptionAsync(db, ct, checkOverdue: false);
        // A key made here is new by construction: only a presented one can be a replay.
        var result = await AppendAsync(db, CreditEntryKind.Usage, -cost, $"{usageKind}: {source}", key, tenant.UserId, usageKind, source, ct,
            mayBeReplay: !string.IsNullOrWhiteSpace(idempotencyKey));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return result;
    }

    /// <summary>Support staff correct an organization's balance with a written reason (audited like every change).</summary>
    public async Task<CreditResult> AdjustAsync(Guid organizationId, long amount, string? reason, string? idempotencyKey = null, CancellationToken ct = default)
    {
        var supportUserId = tenant.RequireUser();
        var text = reason?.Trim() ?? "";
        if (text.Length < 10 || text.Length > CreditEntry.ReasonMaxLength)
        {
            throw DomainException.Invalid("reason", $"Write why the balance changes (10 to {CreditEntry.ReasonMaxLength} characters).");
        }

        if (amount == 0)
        {
            throw DomainException.Invalid("amount", "The adjustment must add or remove at least one credit.");
        }

        var key = IdempotencyKey(idempotencyKey, "adjustment");
        await using (var check = dbFactory.Create())
        {
            await Support.SupportStaff.RequireAsync(check, tenant, supportUserId, "Only support staff can adjust an organization's credits.", ct);

            if (!await check.Organizations.AnyAsync(o => o.Id == organizationId, ct))
            {
                throw new DomainException(DomainErrorKind.NotFound, "That organization does not exist.");
            }
        }

        await using var db = dbFactory.CreateFor(tenant.ActingIn(supportUserId, organizationId, "", OrganizationRole.Admin));
        await using var transaction = await db.BeginWriteTransactionAsync(ct);
        await CurrentSubscriptionAsync(db, ct);
        var result = await AppendAsync(db, CreditEntryKind.Adjustment, amount, text, key, supportUserId, null, null, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return result;
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

    /// <summary>
    /// Seats of an organization and how many are taken: members plus open invitations (an invitation holds its seat
    /// until it is answered, revoked or expires).
    /// </summary>
    public static async Task<(int Seats, int Used)> SeatUsageAsync(IMultiOrgDb db, PlanCatalog plans, Guid organizationId, CancellationToken ct)
    {
        var now = DateTime.UtcNow;
        var seats = await db.Set<Subscription>().Where(s => s.OrganizationId == organizationId).Select(s => (int?)s.Seats).FirstOrDefaultAsync(ct)
            ?? plans.Default.IncludedSeats;
        var members = await db.OrganizationMembers.CountAsync(m => m.OrganizationId == organizationId, ct);
        var invited = await db.Set<Invitations.Invitation>()
            .CountAsync(i => i.OrganizationId == organizationId && i.Status == Invitations.InvitationStatus.Pending && i.ExpiresAt > now, ct);
        return (seats, members + invited);
    }

    public static string SeatLimitMessage(int used, int seats) => $"Seat limit reached ({used} of {seats} seats used). Add seats or change plan.";

    /// <summary>
    /// Seat check for every path that adds a member: call inside the caller's write transaction, so two adds racing for
    /// the last seat cannot both pass. <paramref name="holdsSeat"/>: the person already holds a seat by an invitation.
    /// </summary>
    public static async Task EnsureSeatAvailableAsync(IMultiOrgDb db, PlanCatalog plans, Guid organizationId, int adding, CancellationToken ct, bool holdsSeat = false)
    {
        var (seats, used) = await SeatUsageAsync(db, plans, organizationId, ct);
        if (used - (holdsSeat ? adding : 0) + adding > seats)
        {
            throw new DomainException(DomainErrorKind.Conflict, SeatLimitMessage(used, seats));
        }
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private Subscription NewSubscription(DateTime now) => Subscription.Start(plans.Default, now);

    /// <summary>
    /// The organization's subscription, created on the default plan the first time billing writes, and brought up to
    /// date: each period that has ended gets its statement and the next period starts (applying a pending downgrade),
    /// this period's allowance is granted, and an overdue statement makes it past due. Write lock held.
    /// </summary>
    private async Task<Subscription> CurrentSubscriptionAsync(IMultiOrgDb db, CancellationToken ct, bool checkOverdue = true)
    {
        var now = Now;
        var subscription = await db.Set<Subscription>().SingleOrDefaultAsync(ct);
        if (subscription is null)
        {
            subscription = NewSubscription(now);
            db.Set<Subscription>().Add(subscription);
        }

        while (now >= subscription.PeriodEnd)
        {
            await PeriodClose.WriteStatementAsync(db, plans, subscription, now, ct);
            subscription.PeriodStart = subscription.PeriodEnd;
            subscription.PeriodEnd = subscription.PeriodStart.AddMonths(1);
            if (subscription.PendingPlanCode is { } pending)
            {
                subscription.PlanCode = pending;
                subscription.Seats = subscription.PendingSeats ?? plans.For(pending).IncludedSeats;
                subscription.PendingPlanCode = null;
                subscription.PendingSeats = null;
            }

            subscription.PeriodPlanCode = subscription.PlanCode;
            subscription.PeriodSeats = subscription.Seats;
        }

        var plan = plans.For(subscription.PlanCode);
        if (plan.MonthlyCredits > 0 && subscription.AllowanceGrantedFor != subscription.PeriodStart)
        {
            // The idempotency key keeps it once per period even where the marker is missing (an older row).
            await AppendAsync(db, CreditEntryKind.Grant, plan.MonthlyCredits, $"{plan.Name} monthly allowance", $"allowance:{subscription.PeriodStart:yyyy-MM}", null, null, null, ct);
            subscription.AllowanceGrantedFor = subscription.PeriodStart;
        }

        // Turning past due is the period-close job's and the billing pages' business; a debit only reads the status.
        if (checkOverdue && subscription.Status != SubscriptionStatus.Canceled)
        {
            var overdue = await PeriodClose.IsOverdueAsync(db, subscription.OrganizationId, now, ct);
            subscription.Status = overdue ? SubscriptionStatus.PastDue : SubscriptionStatus.Active;
        }

        return subscription;
    }

    /// <summary>
    /// Brings one organization's billing up to date on behalf of the period-close job: the statement of every period
    /// that has ended, the allowance, the past-due status. Running it again changes nothing.
    /// </summary>
    internal async Task<bool> RollForwardAsync(TenantContext acting, CancellationToken ct)
    {
        await using var db = dbFactory.CreateFor(acting);
        await using var transaction = await db.BeginWriteTransactionAsync(ct);
        await CurrentSubscriptionAsync(db, ct);
        var changed = await db.SaveChangesAsync(ct) > 0;
        await transaction.CommitAsync(ct);
        return changed;
    }

    /// <summary>For the partner's OWNER, verified by the statement service: who pays this client's statements.</summary>
    internal async Task SetBilledToPartnerAsync(TenantContext client, bool billedToPartner, CancellationToken ct)
    {
        await using var db = dbFactory.CreateFor(client);
        await using var transaction = await db.BeginWriteTransactionAsync(ct);
        var subscription = await CurrentSubscriptionAsync(db, ct);
        subscription.BilledToPartner = billedToPartner;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>The most seats a request may ask for: far beyond any real organization, far below an overflowing charge.</summary>
    public const int MaxSeats = 10000;

    private async Task<PlanChangePreview> PreviewAsync(IMultiOrgDb db, Guid organizationId, Subscription current, string? planCode, int? seats, CancellationToken ct)
    {
        var plan = plans.Find(planCode?.Trim()) ?? throw DomainException.Invalid("plan", $"There is no plan '{planCode}'. Choose one of: {string.Join(", ", plans.Plans.Select(p => p.Code))}.");
        var newSeats = seats ?? Math.Max(plan.IncludedSeats, plan.ExtraSeatPrice is null ? 0 : current.Seats);
        if (newSeats > MaxSeats)
        {
            throw DomainException.Invalid("seats", $"An organization can have at most {MaxSeats} seats; for more, contact us.");
        }

        if (newSeats < plan.IncludedSeats)
        {
            throw DomainException.Invalid("seats", $"The {plan.Name} plan includes {plan.IncludedSeats} seats; you cannot have fewer.");
        }

        if (plan.ExtraSeatPrice is null && newSeats > plan.IncludedSeats)
        {
            throw DomainException.Invalid("seats", $"The {plan.Name} plan has exactly {plan.IncludedSeats} seats and sells no extra ones. Choose a larger plan.");
        }

        var members = await db.OrganizationMembers.CountAsync(m => m.OrganizationId == organizationId, ct);
        if (newSeats < members)
        {
            throw DomainException.Invalid("seats", $"{plan.Name} with {newSeats} seats is fewer than the organization's {members} members. Remove members or keep more seats.");
        }

        var currentPlan = plans.For(current.PlanCode);
        if (plan.Code == currentPlan.Code && newSeats == current.Seats)
        {
            throw DomainException.Invalid("plan", $"You are already on {plan.Name} with {newSeats} seats.");
        }

        var currentTotal = currentPlan.MonthlyTotal(current.Seats);
        var newTotal = plan.MonthlyTotal(newSeats);
        var now = Now;
        if (newTotal > currentTotal)
        {
            var remaining = (decimal)(current.PeriodEnd - now).TotalSeconds / (decimal)(current.PeriodEnd - current.PeriodStart).TotalSeconds;
            var charge = Math.Round((newTotal - currentTotal) * Math.Clamp(remaining, 0m, 1m), 2, MidpointRounding.AwayFromZero);
            return new PlanChangePreview(plan.Code, newSeats, true, now, charge, currentTotal, newTotal, plans.Currency,
                $"{plan.Name}, {newSeats} seats, from now: {Money(charge)} for the rest of this period, then {Money(newTotal)} a month.");
        }

        return new PlanChangePreview(plan.Code, newSeats, false, current.PeriodEnd, 0m, currentTotal, newTotal, plans.Currency,
            $"{plan.Name}, {newSeats} seats, from {current.PeriodEnd:d MMMM yyyy}: {Money(newTotal)} a month. Nothing changes before then.");
    }

    private string Money(decimal amount) => $"{amount.ToString("N2", CultureInfo.InvariantCulture)} {plans.Currency}";

    private static string IdempotencyKey(string? presented, string kind)
    {
        var key = presented?.Trim();
        if (string.IsNullOrEmpty(key))
        {
            return $"{kind}:{Guid.CreateVersion7():N}";
        }

        return key.Length <= 100 ? $"{kind}:{key}" : throw DomainException.Invalid("idempotencyKey", "The idempotency key must be at most 100 characters.");
    }

    private static Task<long> BalanceAsync(IMultiOrgDb db, CancellationToken ct) =>
        db.Set<CreditEntry>().OrderByDescending(e => e.Sequence).Select(e => e.BalanceAfter).FirstOrDefaultAsync(ct);

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

        // The stored tail, unless this unit of work already appended after it (an allowance just before a debit).
        var stored = await db.Set<CreditEntry>().AsNoTracking().OrderByDescending(e => e.Sequence).FirstOrDefaultAsync(ct);
        var pending = db.Set<CreditEntry>().Local.Where(e => stored is null || e.Sequence > stored.Sequence).MaxBy(e => e.Sequence);
        var last = pending ?? stored;
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
        if (kind == CreditEntryKind.Usage)
        {
            var day = DateOnly.FromDateTime(entry.OccurredAt);
            var usageKindOf = usageKind ?? "other";
            var rollup = db.Set<CreditUsageDay>().Local.FirstOrDefault(d => d.Day == day && d.UsageKind == usageKindOf)
                ?? await db.Set<CreditUsageDay>().SingleOrDefaultAsync(d => d.Day == day && d.UsageKind == usageKindOf, ct);
            if (rollup is null)
            {
                db.Set<CreditUsageDay>().Add(new CreditUsageDay { Day = day, UsageKind = usageKindOf, Credits = -amount });
            }
            else
            {
                rollup.Credits -= amount;
            }
        }

        return new CreditResult(View(entry), Replayed: false);
    }

    private static CreditEntryView View(CreditEntry e) =>
        new(e.Sequence, e.OccurredAt, e.Kind, e.Amount, e.BalanceAfter, e.Reason, e.UsageKind, e.UsageSource, null);
}
