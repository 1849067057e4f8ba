using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace MultiOrg.Domain.Billing;

/// <summary>
/// Writes the statement of a period that has ended, from the subscription the period began with, the charges filed
/// against it and the credit ledger between its start and end, so every total can be reproduced from those rows.
/// </summary>
internal static class PeriodClose
{
    public static async Task WriteStatementAsync(IMultiOrgDb db, PlanCatalog plans, Subscription subscription, DateTime now, CancellationToken ct)
    {
        var (start, end) = (subscription.PeriodStart, subscription.PeriodEnd);
        var organizationId = subscription.OrganizationId;

        // The unique index backs this up: a period has one statement, however often or wherever the close runs.
        if (await db.Set<Statement>().AnyAsync(s => s.OrganizationId == organizationId && s.PeriodStart == start, ct))
        {
            return;
        }

        var plan = plans.For(subscription.PeriodPlanCode ?? subscription.PlanCode);
        var seats = subscription.PeriodSeats ?? subscription.Seats;
        var statement = new Statement
        {
            OrganizationId = organizationId,
            // The id's random tail: its head is a timestamp, shared by organizations created together.
            Number = $"{start:yyyyMM}-{organizationId.ToString("N")[^8..].ToUpperInvariant()}",
            PeriodStart = start,
            PeriodEnd = end,
            PlanCode = plan.Code,
            PlanName = plan.Name,
            Seats = seats,
            Currency = plans.Currency,
            IssuedAt = now,
            DueAt = now.AddDays(plans.Options.PaymentTermDays),
        };

        var lines = statement.Lines;
        void Line(StatementLineKind kind, string description, long quantity, decimal amount) => lines.Add(new StatementLine
        {
            OrganizationId = organizationId, StatementId = statement.Id, Position = lines.Count + 1, Kind = kind,
            Description = description, Quantity = quantity, Amount = amount,
        });

        Line(StatementLineKind.PlanFee, $"{plan.Name} plan, {start:MMMM yyyy}", 1, plan.MonthlyPrice);
        var extraSeats = Math.Max(0, seats - plan.IncludedSeats);
        if (extraSeats > 0)
        {
            Line(StatementLineKind.ExtraSeats, $"{extraSeats} extra seat(s) at {Money(plan.ExtraSeatPrice ?? 0m, plans.Currency)}", extraSeats, extraSeats * (plan.ExtraSeatPrice ?? 0m));
        }

        var charges = await db.Set<BillingCharge>().AsNoTracking()
            .Where(c => c.OrganizationId == organizationId && c.PeriodStart == start)
            .OrderBy(c => c.OccurredAt).ToListAsync(ct);
        foreach (var charge in charges)
        {
            var kind = charge.Kind == ChargeKind.Proration ? StatementLineKind.Proration : StatementLineKind.CreditPurchase;
            Line(kind, $"{charge.OccurredAt:yyyy-MM-dd}: {charge.Description}", 1, charge.Amount);
        }

        var ledger = db.Set<CreditEntry>().AsNoTracking().Where(e => e.OrganizationId == organizationId);
        var moves = await ledger.Where(e => e.OccurredAt >= start && e.OccurredAt < end)
            .GroupBy(e => new { e.Kind, e.UsageKind })
            .Select(g => new { g.Key.Kind, g.Key.UsageKind, Amount = g.Sum(e => e.Amount) })
            .ToListAsync(ct);
        foreach (var usage in moves.Where(m => m.Kind == CreditEntryKind.Usage).OrderBy(m => m.UsageKind, StringComparer.Ordinal))
        {
            Line(StatementLineKind.Usage, $"Credits used: {usage.UsageKind ?? "other"}", -usage.Amount, 0m);
        }

        statement.OpeningBalance = await ledger.Where(e => e.OccurredAt < start).OrderByDescending(e => e.Sequence)
            .Select(e => e.BalanceAfter).FirstOrDefaultAsync(ct);
        statement.CreditsGranted = moves.Where(m => m.Kind == CreditEntryKind.Grant).Sum(m => m.Amount);
        statement.CreditsPurchased = moves.Where(m => m.Kind == CreditEntryKind.Purchase).Sum(m => m.Amount);
        statement.CreditsUsed = -moves.Where(m => m.Kind == CreditEntryKind.Usage).Sum(m => m.Amount);
        statement.CreditsAdjusted = moves.Where(m => m.Kind is CreditEntryKind.Adjustment or CreditEntryKind.Refund).Sum(m => m.Amount);
        statement.ClosingBalance = statement.OpeningBalance + statement.CreditsGranted + statement.CreditsPurchased
            - statement.CreditsUsed + statement.CreditsAdjusted;
        statement.Total = lines.Sum(l => l.Amount);

        if (subscription.BilledToPartner)
        {
            statement.BilledToOrganizationId = await db.Organizations.Where(o => o.Id == organizationId)
                .Select(o => o.PartnerOrganizationId).FirstOrDefaultAsync(ct);
        }

        // Nothing to pay is settled at issue, so a free organization never falls past due.
        if (statement.Total == 0m)
        {
            statement.Status = StatementStatus.Paid;
            statement.PaidAt = now;
            statement.PaidAmount = 0m;
        }

        db.Set<Statement>().Add(statement);
    }

    public static Task<bool> IsOverdueAsync(IMultiOrgDb db, Guid organizationId, DateTime now, CancellationToken ct) =>
        db.Set<Statement>().AnyAsync(s => s.OrganizationId == organizationId && s.Status == StatementStatus.Open && s.DueAt <= now, ct);

    public static string Money(decimal amount, string currency) => $"{amount.ToString("N2", CultureInfo.InvariantCulture)} {currency}";
}
