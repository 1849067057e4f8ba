using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace MultiOrg.Domain.Billing;

/// <summary>What a plan lets an organization use; read by the feature checks.</summary>
public sealed class PlanFeatures
{
    [Description("the plan's organizations may create API keys")]
    public bool ApiKeys { get; set; } = true;

    [Description("the plan's organizations may use the assistant (MCP)")]
    public bool Assistant { get; set; } = true;

    [Description("the plan's organizations may run client organizations (partners)")]
    public bool ClientOrganizations { get; set; }
}

/// <summary>One plan of <c>Billing:Plans</c>. Money is decimal in <see cref="BillingOptions.Currency"/>.</summary>
public sealed class PlanDefinition
{
    [Description("the plan's code, unique among the plans")]
    [Required]
    public string Code { get; set; } = "";

    [Description("the plan's name as people see it")]
    [Required]
    public string Name { get; set; } = "";

    [Description("price per month")]
    [Range(typeof(decimal), "0", "1000000")]
    public decimal MonthlyPrice { get; set; }

    [Description("seats included in the monthly price")]
    [Range(1, 1_000_000)]
    public int IncludedSeats { get; set; }

    /// <summary>Price of a seat beyond the included ones per month; null when the plan sells no extra seats.</summary>
    [Description("price of each seat beyond the included ones per month; unset: the plan sells no extra seats")]
    [Range(typeof(decimal), "0", "1000000")]
    public decimal? ExtraSeatPrice { get; set; }

    [Description("credits the plan grants each month")]
    [Range(0, long.MaxValue)]
    public long MonthlyCredits { get; set; }

    public PlanFeatures Features { get; set; } = new();

    public decimal MonthlyTotal(int seats) => MonthlyPrice + (Math.Max(0, seats - IncludedSeats) * (ExtraSeatPrice ?? 0m));
}

/// <summary>The <c>Billing</c> section of the configuration.</summary>
public sealed class BillingOptions : IValidatableObject
{
    public const string Section = "Billing";

    /// <summary>ISO 4217 code every price is in.</summary>
    [Description("ISO 4217 code every price is in")]
    [RegularExpression("^[A-Z]{3}$", ErrorMessage = "The field {0} must be an ISO 4217 code of three capital letters, such as EUR")]
    public string Currency { get; set; } = "EUR";

    [Description("the plan a new organization starts on (one of the plans' codes)")]
    [Required]
    public string DefaultPlan { get; set; } = "free";

    /// <summary>Credits per purchased pack and its price, added to the next statement.</summary>
    [Description("credits in one purchased pack")]
    [Range(1, long.MaxValue)]
    public long CreditPackSize { get; set; } = 1000;

    [Description("price of one credit pack, added to the next statement")]
    [Range(typeof(decimal), "0", "1000000")]
    public decimal CreditPackPrice { get; set; } = 10m;

    /// <summary>Credits one use costs, by kind (<see cref="UsageKinds"/>); a kind not listed costs 1.</summary>
    [Description("credits one use costs, by kind (`api-request`, `assistant-tool`); a kind not listed costs 1")]
    public Dictionary<string, long> UsageCosts { get; set; } = [];

    [Description("the plans on sale (none configured: the four shipped in appsettings.json)")]
    public List<PlanDefinition> Plans { get; set; } = [];

    /// <summary>Days after a period ends before its unpaid statement makes the subscription past due.</summary>
    [Description("days after issue before an unpaid statement makes the subscription past due")]
    [Range(1, 365)]
    public int PaymentTermDays { get; set; } = 30;

    /// <summary>Read by the period-close job (<c>Jobs:billing-period-close:Interval</c> overrides it).</summary>
    [Description("how often (minutes) the period close looks for ended periods")]
    [Range(1, 1440)]
    public int CloseIntervalMinutes { get; set; } = 15;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Plans.GroupBy(p => p.Code, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            yield return new ValidationResult($"has two plans with the Code '{twice.Key}': each plan needs its own code", [nameof(Plans)]);
        }

        if (Plans.Count > 0 && !Plans.Any(p => string.Equals(p.Code, DefaultPlan, StringComparison.OrdinalIgnoreCase)))
        {
            yield return new ValidationResult($"must be one of the plans' codes ({string.Join(", ", Plans.Select(p => p.Code))})", [nameof(DefaultPlan)]);
        }
    }

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
