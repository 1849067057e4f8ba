using System.Globalization;
using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Billing;

/// <summary>
/// The current organization's plan, seats and credits. OWNERs change them, ADMINs read them, MEMBERs see nothing.
/// Every credit movement goes through one append routine under the organization's write lock, so parallel debits never
/// overdraw and a replayed idempotency key returns its first result. Credits: BillingService.Credits.cs; the period
/// and seats: BillingService.Period.cs.
/// </summary>
public sealed partial class BillingService(IMultiOrgDbFactory dbFactory, TenantContext tenant, PlanCatalog plans, TimeProvider time)
{
    public const int MaxCreditPacks = 100;

    /// <summary>
    /// Plan, seats, balance and the last 30 days of usage. Reads only: a period that has ended and an allowance not yet
    /// granted are shown as the period-close job or the next billing write will store them.
    /// </summary>
    public async Task<BillingSummary> GetSummaryAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var me = await db.RequireAsync(tenant, Permission.ViewBilling, ct);
        var now = Now;

        // Brought up to date in this unit of work only, which is never saved: what the next write would store.
        var subscription = await CurrentSubscriptionAsync(db, ct);
        var plan = plans.For(subscription.PlanCode);
        var (_, seatsUsed) = await SeatUsageAsync(db, plans, me.OrganizationId, ct);
        var balance = (await TailAsync(db, ct))?.BalanceAfter ?? 0;
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
        var (me, subscription) = await db.WriteAsync(
            async ct =>
            {
                var me = await db.RequireAsync(tenant, Permission.ManageBilling, ct);
                var subscription = await CurrentSubscriptionAsync(db, ct);
                await db.SaveChangesAsync(ct);

                return (me, subscription);
            },
            ct);
        return await PreviewAsync(db, me.OrganizationId, subscription, planCode, seats, ct);
    }

    public async Task<PlanChangePreview> ChangePlanAsync(string? planCode, int? seats, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var preview = await db.WriteAsync(
            async ct =>
            {
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

                return preview;
            },
            ct);
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
        var result = await db.WriteAsync(
            async ct =>
            {
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

                return result;
            },
            ct);
        return result;
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private Subscription NewSubscription(DateTime now) => Subscription.Start(plans.Default, now);

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
}
