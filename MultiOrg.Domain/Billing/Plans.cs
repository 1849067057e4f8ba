namespace MultiOrg.Domain.Billing;

/// <summary>What a plan lets an organization use; read by the feature checks.</summary>
public sealed class PlanFeatures
{
    public bool ApiKeys { get; set; } = true;

    public bool Assistant { get; set; } = true;

    public bool ClientOrganizations { get; set; }
}

/// <summary>One plan of <c>Billing:Plans</c>. Money is decimal in <see cref="BillingOptions.Currency"/>.</summary>
public sealed class PlanDefinition
{
    public string Code { get; set; } = "";

    public string Name { get; set; } = "";

    public decimal MonthlyPrice { get; set; }

    public int IncludedSeats { get; set; }

    /// <summary>Price of a seat beyond the included ones per month; null when the plan sells no extra seats.</summary>
    public decimal? ExtraSeatPrice { get; set; }

    public long MonthlyCredits { get; set; }

    public PlanFeatures Features { get; set; } = new();

    public decimal MonthlyTotal(int seats) => MonthlyPrice + (Math.Max(0, seats - IncludedSeats) * (ExtraSeatPrice ?? 0m));
}

/// <summary>The <c>Billing</c> section of the configuration.</summary>
public sealed class BillingOptions
{
    /// <summary>ISO 4217 code every price is in.</summary>
    public string Currency { get; set; } = "EUR";

    public string DefaultPlan { get; set; } = "free";

    /// <summary>Credits per purchased pack and its price, added to the next statement.</summary>
    public long CreditPackSize { get; set; } = 1000;

    public decimal CreditPackPrice { get; set; } = 10m;

    /// <summary>Credits one use costs, by kind (<see cref="UsageKinds"/>); a kind not listed costs 1.</summary>
    public Dictionary<string, long> UsageCosts { get; set; } = [];

    public List<PlanDefinition> Plans { get; set; } = [];

    /// <summary>Days after a period ends before its unpaid statement makes the subscription past due.</summary>
    public int PaymentTermDays { get; set; } = 30;

    /// <summary>The plans shipped in appsettings.json, used where no configuration is bound (tests, tools).</summary>
    public static BillingOptions Defaults() => new()
    {
        Plans =
        [
            new() { Code = "free", Name = "Free", MonthlyPrice = 0m, IncludedSeats = 5, MonthlyCredits = 100 },
            new() { Code = "team", Name = "Team", MonthlyPrice = 29m, IncludedSeats = 10, ExtraSeatPrice = 5m, MonthlyCredits = 5_000 },
            new() { Code = "business", Name = "Business", MonthlyPrice = 99m, IncludedSeats = 50, ExtraSeatPrice = 4m, MonthlyCredits = 50_000 },
            new()
            {
                Code = "partner", Name = "Partner", MonthlyPrice = 149m, IncludedSeats = 25, ExtraSeatPrice = 4m, MonthlyCredits = 100_000,
                Features = new PlanFeatures { ClientOrganizations = true },
            },
        ],
    };
}

public static class UsageKinds
{
    public const string ApiRequest = "api-request";
    public const string AssistantTool = "assistant-tool";
}

/// <summary>The configured plans, checked once at start so a typo fails the start rather than a customer's checkout.</summary>
public sealed class PlanCatalog
{
    public PlanCatalog(BillingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Plans.Count == 0)
        {
            options = BillingOptions.Defaults();
        }

        var problems = new List<string>();
        foreach (var plan in options.Plans)
        {
            if (string.IsNullOrWhiteSpace(plan.Code)) problems.Add("a plan has no Code");
            if (plan.MonthlyPrice < 0 || plan.ExtraSeatPrice < 0) problems.Add($"plan '{plan.Code}' has a negative price");
            if (plan.IncludedSeats < 1) problems.Add($"plan '{plan.Code}' must include at least one seat");
            if (plan.MonthlyCredits < 0) problems.Add($"plan '{plan.Code}' has negative MonthlyCredits");
        }

        if (options.Plans.GroupBy(p => p.Code, StringComparer.OrdinalIgnoreCase).Any(g => g.Count() > 1)) problems.Add("two plans share a Code");
        if (!options.Plans.Any(p => string.Equals(p.Code, options.DefaultPlan, StringComparison.OrdinalIgnoreCase)))
        {
            problems.Add($"DefaultPlan '{options.DefaultPlan}' is not one of the plans");
        }

        if (options.Currency.Length != 3) problems.Add($"Currency '{options.Currency}' is not an ISO 4217 code");
        if (options.PaymentTermDays < 1) problems.Add("PaymentTermDays must be at least 1");
        if (options.CreditPackSize < 1 || options.CreditPackPrice < 0) problems.Add("the credit pack needs a positive size and a price of at least 0");
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Billing configuration is invalid: " + string.Join("; ", problems) + ".");
        }

        Options = options;
        Plans = options.Plans;
        Default = Find(options.DefaultPlan)!;
    }

    public BillingOptions Options { get; }

    public IReadOnlyList<PlanDefinition> Plans { get; }

    public PlanDefinition Default { get; }

    public string Currency => Options.Currency;

    public PlanDefinition? Find(string? code) =>
        Plans.FirstOrDefault(p => string.Equals(p.Code, code, StringComparison.OrdinalIgnoreCase));

    /// <summary>A plan no longer configured still bills as the default rather than failing every page.</summary>
    public PlanDefinition For(string code) => Find(code) ?? Default;

    public long CostOf(string usageKind) => Options.UsageCosts.TryGetValue(usageKind, out var cost) ? cost : 1;
}
