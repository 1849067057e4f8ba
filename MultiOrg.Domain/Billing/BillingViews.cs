namespace MultiOrg.Domain.Billing;

public sealed record PlanView(string Code, string Name, decimal MonthlyPrice, string Currency, int IncludedSeats, decimal? ExtraSeatPrice, long MonthlyCredits, PlanFeatures Features)
{
    public static PlanView Of(PlanDefinition plan, string currency) =>
        new(plan.Code, plan.Name, plan.MonthlyPrice, currency, plan.IncludedSeats, plan.ExtraSeatPrice, plan.MonthlyCredits, plan.Features);
}

public sealed record UsageDay(DateOnly Day, long Credits);

/// <summary>The current organization's billing; <c>SeatsUsed</c> counts members and open invitations (each holds a seat).</summary>
public sealed record BillingSummary(
    PlanView Plan,
    int Seats,
    int SeatsUsed,
    SubscriptionStatus Status,
    DateTime PeriodStart,
    DateTime PeriodEnd,
    decimal MonthlyTotal,
    string Currency,
    string? PendingPlanCode,
    int? PendingSeats,
    long Balance,
    IReadOnlyList<UsageDay> UsageLast30Days,
    IReadOnlyList<PlanView> Plans,
    long CreditPackSize,
    decimal CreditPackPrice);

/// <summary>What a plan or seat change would do, shown before it is confirmed.</summary>
public sealed record PlanChangePreview(string PlanCode, int Seats, bool TakesEffectNow, DateTime EffectiveAt, decimal ProratedCharge, decimal CurrentMonthlyTotal, decimal NewMonthlyTotal, string Currency, string Summary);

public sealed record CreditEntryView(long Sequence, DateTime OccurredAt, CreditEntryKind Kind, long Amount, long BalanceAfter, string Reason, string? UsageKind, string? UsageSource, string? Actor);

public sealed record LedgerQuery(CreditEntryKind? Kind = null, DateTime? From = null, DateTime? To = null, int Page = 1, int PageSize = 50)
{
    public const int MaxPageSize = 500;
}

public sealed record CreditResult(CreditEntryView Entry, bool Replayed);

/// <summary>
/// A statement in a list. <c>Total</c> is the amount due: for a partner, its own charges plus its clients' sections, the
/// same figure as the statement's <c>AmountDue</c>; <c>Paid</c> what support recorded so far, <c>Remaining</c> the rest.
/// </summary>
public sealed record StatementSummaryView(
    Guid Id, string Number, DateTime PeriodStart, DateTime PeriodEnd, string PlanName, decimal Total, string Currency,
    StatementStatus Status, DateTime IssuedAt, DateTime DueAt, bool Overdue, Guid? BilledToOrganizationId, decimal Paid)
{
    public decimal Remaining => Total - Paid;
}

public sealed record StatementLineView(int Position, StatementLineKind Kind, string Description, long Quantity, decimal Amount);

/// <summary>One client's part of a partner's consolidated statement.</summary>
public sealed record ClientStatementSection(Guid OrganizationId, string OrganizationName, string Number, IReadOnlyList<StatementLineView> Lines, decimal Total);

public sealed record PaymentView(DateTime PaidAt, string Reference, decimal Amount, string? RecordedBy);

/// <summary>
/// A statement with its lines; for a partner, one section per client billed to it. <c>AmountDue</c> is the
/// statement's own total (<c>OwnTotal</c>) plus its clients' sections: what the partner pays, and the summary's total.
/// <c>Payment</c> is the one that settled it; <c>Payments</c> every part recorded, oldest first.
/// </summary>
public sealed record StatementView(
    StatementSummaryView Summary,
    string OrganizationName,
    string PlanCode,
    int Seats,
    long OpeningBalance,
    long CreditsGranted,
    long CreditsPurchased,
    long CreditsUsed,
    long CreditsAdjusted,
    long ClosingBalance,
    string? BilledToName,
    IReadOnlyList<StatementLineView> Lines,
    IReadOnlyList<ClientStatementSection> Clients,
    decimal AmountDue,
    PaymentView? Payment,
    decimal OwnTotal,
    IReadOnlyList<PaymentView> Payments);

/// <summary>What one client cost in a closed period, for the partner passing costs on.</summary>
public sealed record ClientCostRow(
    Guid OrganizationId, string OrganizationName, bool BilledToPartner, string? StatementNumber, string? PlanName,
    decimal PlanFee, decimal ExtraSeats, decimal Prorations, decimal CreditPurchases, long CreditsUsed, decimal Total, string Currency);

public sealed record ClientCosts(DateTime? PeriodStart, IReadOnlyList<DateTime> Periods, IReadOnlyList<ClientCostRow> Rows, decimal Total, string Currency);
