using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Accounting;

/// <summary>Base for every accounting configuration row: tenant-owned, with a version-7 id.</summary>
public abstract class ConfigurationRow : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrganizationId { get; set; }
}

public enum AccountType
{
    Asset,
    Liability,
    Equity,
    Revenue,
    Expense,
}

/// <summary>One account of the chart of accounts. The number is unique within an organization.</summary>
public sealed class Account : ConfigurationRow
{
    public const int NumberMaxLength = 20;
    public const int NameMaxLength = 200;

    public required string Number { get; set; }

    public required string Name { get; set; }

    public AccountType Type { get; set; }

    public Guid? ParentAccountId { get; set; }
}

public sealed class TaxAuthority : ConfigurationRow
{
    public required string Name { get; set; }

    public required string CountryCode { get; set; }

    public string? Region { get; set; }
}

public enum TaxDirection
{
    Sales,
    Purchase,
    Both,
}

/// <summary>A tax code with its rate in percent (e.g. 19.0 for 19 %).</summary>
public sealed class TaxCode : ConfigurationRow
{
    public const int CodeMaxLength = 20;

    public required string Code { get; set; }

    public required string Name { get; set; }

    public decimal RatePercent { get; set; }

    public TaxDirection Direction { get; set; } = TaxDirection.Both;

    public Guid? TaxAuthorityId { get; set; }
}

public sealed class PaymentTerm : ConfigurationRow
{
    public required string Code { get; set; }

    public required string Name { get; set; }

    public int DueDays { get; set; }

    public decimal DiscountPercent { get; set; }

    public int DiscountDays { get; set; }
}

public enum JurisdictionKind
{
    Tax,
    Payroll,
}

public sealed class Jurisdiction : ConfigurationRow
{
    public required string Code { get; set; }

    public required string Name { get; set; }

    public JurisdictionKind Kind { get; set; }

    public required string CountryCode { get; set; }

    public string? Region { get; set; }
}

/// <summary>An AI agent enabled for the organization, with its settings and workflow (JSON documents).</summary>
public sealed class AgentConfiguration : ConfigurationRow
{
    public required string AgentKey { get; set; }

    public required string Name { get; set; }

    public bool IsEnabled { get; set; } = true;

    public string SettingsJson { get; set; } = "{}";

    public string WorkflowJson { get; set; } = "{}";
}

/// <summary>A skill file the agents read (configuration, copied to clients).</summary>
public sealed class SkillFile : ConfigurationRow
{
    public required string Path { get; set; }

    public required string Content { get; set; }
}

/// <summary>An organization's own preference for a skill (never copied to clients).</summary>
public sealed class SkillSetting : ConfigurationRow
{
    public required string SkillName { get; set; }

    public required string Key { get; set; }

    public required string Value { get; set; }
}

/// <summary>A document number sequence (created fresh for every organization, never copied).</summary>
public sealed class NumberSeries : ConfigurationRow
{
    public required string Code { get; set; }

    public required string Prefix { get; set; }

    public long NextNumber { get; set; } = 1;
}

/// <summary>A cost centre, department or other analysis dimension (each client defines its own; never copied).</summary>
public sealed class Dimension : ConfigurationRow
{
    public required string Code { get; set; }

    public required string Name { get; set; }
}

/// <summary>A legal entity (company) inside an organization; entity-level configuration hangs off it.</summary>
public sealed class LegalEntity : ConfigurationRow
{
    public required string Code { get; set; }

    public required string Name { get; set; }

    public required string CountryCode { get; set; }

    public required string CurrencyCode { get; set; }
}

/// <summary>Maps a transaction type of one entity to the accounts it posts to.</summary>
public sealed class PostingProfile : ConfigurationRow
{
    public Guid LegalEntityId { get; set; }

    public required string Name { get; set; }

    public Guid DebitAccountId { get; set; }

    public Guid CreditAccountId { get; set; }
}

public sealed class TransactionTypeProfile : ConfigurationRow
{
    public Guid LegalEntityId { get; set; }

    public required string Name { get; set; }

    public required string TransactionType { get; set; }
}

public sealed class WorkflowDefinition : ConfigurationRow
{
    public Guid LegalEntityId { get; set; }

    public required string Name { get; set; }

    public List<WorkflowStep> Steps { get; } = [];
}

/// <summary>A step of a workflow; steps nest through <see cref="ParentStepId"/>.</summary>
public sealed class WorkflowStep : ConfigurationRow
{
    public Guid WorkflowDefinitionId { get; set; }

    public Guid? ParentStepId { get; set; }

    public int Sequence { get; set; }

    public required string Name { get; set; }

    public List<WorkflowCondition> Conditions { get; } = [];
}

public sealed class WorkflowCondition : ConfigurationRow
{
    public Guid WorkflowStepId { get; set; }

    public required string Field { get; set; }

    public required string Operator { get; set; }

    public required string Value { get; set; }
}
