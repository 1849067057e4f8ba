using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Billing;

public enum SubscriptionStatus
{
    Active,
    PastDue,
    Canceled,
}

/// <summary>An organization's plan and seats for the current monthly period (calendar months, UTC).</summary>
public sealed class Subscription : ITenantOwned, ITimestamped
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrganizationId { get; set; }

    public required string PlanCode { get; set; }

    /// <summary>All seats, the plan's included ones and any extra bought.</summary>
    public int Seats { get; set; }

    public SubscriptionStatus Status { get; set; } = SubscriptionStatus.Active;

    public DateTime PeriodStart { get; set; }

    public DateTime PeriodEnd { get; set; }

    /// <summary>A downgrade or seat reduction waiting for the period end.</summary>
    public string? PendingPlanCode { get; set; }

    public int? PendingSeats { get; set; }

    /// <summary>The plan and seats the current period began with: its statement bills them; an upgrade adds a proration.</summary>
    public string? PeriodPlanCode { get; set; }

    public int? PeriodSeats { get; set; }

    /// <summary>The period whose monthly allowance is in the ledger, so a debit need not look for it again.</summary>
    public DateTime? AllowanceGrantedFor { get; set; }

    /// <summary>A client organization whose statements go to its partner (consolidated billing); its credits stay its own.</summary>
    public bool BilledToPartner { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    /// <summary>A subscription on <paramref name="plan"/> with its included seats, for the calendar month of <paramref name="now"/>.</summary>
    public static Subscription Start(PlanDefinition plan, DateTime now, bool billedToPartner = false)
    {
        var (start, end) = PeriodOf(now);
        return new Subscription
        {
            PlanCode = plan.Code, Seats = plan.IncludedSeats, PeriodStart = start, PeriodEnd = end,
            PeriodPlanCode = plan.Code, PeriodSeats = plan.IncludedSeats, BilledToPartner = billedToPartner,
        };
    }

    /// <summary>
    /// The monthly allowance the next billing write grants and the ledger does not hold yet (a new organization, a new
    /// period): every reader of a balance adds it, so a balance shown never depends on whether billing was written first.
    /// </summary>
    public static long AllowanceToGrant(Subscription? subscription, PlanCatalog plans, DateTime now) => subscription switch
    {
        null => plans.Default.MonthlyCredits,
        { } s when now >= s.PeriodEnd => plans.For(s.PendingPlanCode ?? s.PlanCode).MonthlyCredits,
        { } s when s.AllowanceGrantedFor != s.PeriodStart => plans.For(s.PlanCode).MonthlyCredits,
        _ => 0,
    };

    public static (DateTime Start, DateTime End) PeriodOf(DateTime now)
    {
        var start = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        return (start, start.AddMonths(1));
    }
}

public enum CreditEntryKind
{
    Grant,
    Purchase,
    Usage,
    Adjustment,
    Refund,
}

/// <summary>
/// One movement of an organization's credits. Append-only; each carries the balance after it, so the balance is the
/// last entry's and always equals the sum of the amounts. The idempotency key is unique per organization: a replayed
/// request finds its first entry instead of writing a second.
/// </summary>
public sealed class CreditEntry : ITenantOwned
{
    public const int ReasonMaxLength = 300;

    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrganizationId { get; set; }

    public long Sequence { get; set; }

    public CreditEntryKind Kind { get; set; }

    /// <summary>Positive adds credits, negative uses them.</summary>
    public long Amount { get; set; }

    public long BalanceAfter { get; set; }

    public required string Reason { get; set; }

    /// <summary>For usage: the kind (api-request, assistant-tool) and what was used (key prefix, tool name).</summary>
    public string? UsageKind { get; set; }

    public string? UsageSource { get; set; }

    public string? ActorUserId { get; set; }

    public required string IdempotencyKey { get; set; }

    public DateTime OccurredAt { get; set; }
}

/// <summary>
/// Credits used per day and kind, kept by the same append that writes each usage entry, so the 30-day chart reads at
/// most 30 rows per kind instead of a month of entries. Derived from the ledger, so not audited itself.
/// </summary>
public sealed class CreditUsageDay : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrganizationId { get; set; }

    public DateOnly Day { get; set; }

    public required string UsageKind { get; set; }

    public long Credits { get; set; }
}

public enum ChargeKind
{
    Proration,
    CreditPurchase,
}

/// <summary>Money owed outside the plan fee (prorated upgrades, credit packs), for the next statement.</summary>
public sealed class BillingCharge : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrganizationId { get; set; }

    public ChargeKind Kind { get; set; }

    public decimal Amount { get; set; }

    public required string Currency { get; set; }

    public required string Description { get; set; }

    public DateTime PeriodStart { get; set; }

    public string? ActorUserId { get; set; }

    public DateTime OccurredAt { get; set; }
}

public enum StatementStatus
{
    Open,
    Paid,
}

/// <summary>
/// What an organization owes for one closed period. Written once by the period close and never changed, except by the
/// payment support records (the DbContext refuses any other change).
/// </summary>
public sealed class Statement : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrganizationId { get; set; }

    public required string Number { get; set; }

    public DateTime PeriodStart { get; set; }

    public DateTime PeriodEnd { get; set; }

    public required string PlanCode { get; set; }

    public required string PlanName { get; set; }

    public int Seats { get; set; }

    public required string Currency { get; set; }

    public decimal Total { get; set; }

    public long OpeningBalance { get; set; }

    public long CreditsGranted { get; set; }

    public long CreditsPurchased { get; set; }

    public long CreditsUsed { get; set; }

    public long CreditsAdjusted { get; set; }

    public long ClosingBalance { get; set; }

    /// <summary>The partner that pays this statement (consolidated billing), or null when the organization pays itself.</summary>
    public Guid? BilledToOrganizationId { get; set; }

    public DateTime IssuedAt { get; set; }

    public DateTime DueAt { get; set; }

    public StatementStatus Status { get; set; }

    public DateTime? PaidAt { get; set; }

    public string? PaymentReference { get; set; }

    public decimal? PaidAmount { get; set; }

    public string? PaymentRecordedBy { get; set; }

    public List<StatementLine> Lines { get; } = [];

    /// <summary>The fields a recorded payment may set; everything else is fixed at issue.</summary>
    public static readonly IReadOnlySet<string> PaymentFields = new HashSet<string>(StringComparer.Ordinal)
    {
        nameof(Status), nameof(PaidAt), nameof(PaymentReference), nameof(PaidAmount), nameof(PaymentRecordedBy),
    };
}

/// <summary>
/// One payment support recorded against a statement (a statement may be paid in parts). Append-only: the statement turns
/// paid when its payments reach the amount due.
/// </summary>
public sealed class StatementPayment : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrganizationId { get; set; }

    public Guid StatementId { get; set; }

    public decimal Amount { get; set; }

    public required string Reference { get; set; }

    public required string RecordedBy { get; set; }

    public DateTime RecordedAt { get; set; }
}

public enum StatementLineKind
{
    PlanFee,
    ExtraSeats,
    Proration,
    CreditPurchase,
    Usage,
}

/// <summary>One line of a statement. Usage lines count credits (already paid for) and carry no amount.</summary>
public sealed class StatementLine : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrganizationId { get; set; }

    public Guid StatementId { get; set; }

    public int Position { get; set; }

    public StatementLineKind Kind { get; set; }

    public required string Description { get; set; }

    public long Quantity { get; set; }

    public decimal Amount { get; set; }
}
