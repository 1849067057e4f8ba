using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Billing;

public sealed partial class BillingService
{
    /// <summary>
    /// Seats of an organization and how many are taken: members plus open invitations (an invitation holds its seat
    /// until it is answered, revoked or expires).
    /// </summary>
    public static async Task<(int Seats, int Used)> SeatUsageAsync(IMultiOrgDb db, PlanCatalog plans, Guid organizationId, CancellationToken ct)
    {
        var now = db.Time.GetUtcNow().UtcDateTime;
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

    /// <summary>
    /// The organization's subscription, created on the default plan the first time billing writes, and brought up to
    /// date: each period that has ended gets its statement and the next period starts (applying a pending downgrade),
    /// this period's allowance is granted, and an overdue statement makes it past due. A caller that saves holds the write
    /// lock; the summary runs it on a unit of work it never saves.
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
        if (subscription.AllowanceGrantedFor != subscription.PeriodStart)
        {
            // The idempotency key keeps it once per period even where the marker is missing (an older row). A plan
            // without credits gets the marker too, so the period-close job's "allowance missing" finds it done.
            if (plan.MonthlyCredits > 0)
            {
                await AppendAsync(db, CreditEntryKind.Grant, plan.MonthlyCredits, $"{plan.Name} monthly allowance", $"allowance:{subscription.PeriodStart:yyyy-MM}", null, null, null, ct);
            }

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
        return await db.WriteAsync(
            async ct =>
            {
                await CurrentSubscriptionAsync(db, ct);
                return await db.SaveChangesAsync(ct) > 0;
            },
            ct);
    }

    /// <summary>For the partner's OWNER, verified by the statement service: who pays this client's statements.</summary>
    internal async Task SetBilledToPartnerAsync(TenantContext client, bool billedToPartner, CancellationToken ct)
    {
        await using var db = dbFactory.CreateFor(client);
        await db.WriteAsync(
            async ct =>
            {
                var subscription = await CurrentSubscriptionAsync(db, ct);
                subscription.BilledToPartner = billedToPartner;
                await db.SaveChangesAsync(ct);
            },
            ct);
    }
}
