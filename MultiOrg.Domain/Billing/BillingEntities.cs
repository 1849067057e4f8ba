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

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

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
