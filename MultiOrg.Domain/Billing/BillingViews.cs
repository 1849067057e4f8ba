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

public sealed record LedgerQuery(CreditEntryKind? Kind = null, DateTime? From = null, DateTime? To = null, int Page = 1, int PageSize = 50);

public sealed record CreditResult(CreditEntryView Entry, bool Replayed);
