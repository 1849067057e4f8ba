using System.Text.Json.Serialization;

namespace MultiOrg.Domain.Clients;

[JsonConverter(typeof(NamesOnlyEnumConverter<AccountingStandard>))]
public enum AccountingStandard
{
    UsGaap,
    Ifrs,
}

[JsonConverter(typeof(NamesOnlyEnumConverter<ChartTemplate>))]
public enum ChartTemplate
{
    Standard,
    Empty,
}

[JsonConverter(typeof(NamesOnlyEnumConverter<TaxSystem>))]
public enum TaxSystem
{
    AutoDetect,
    UsSalesTax,
    EuVat,
    UkVat,
    None,
}

public static class TaxSystems
{
    /// <summary>US → US Sales Tax, EU member states → EU VAT, GB → UK VAT, every other country → None.</summary>
    public static TaxSystem Detect(string? countryCode) => Countries.Find(countryCode) switch
    {
        { Code: "US" } => TaxSystem.UsSalesTax,
        { Code: "GB" } => TaxSystem.UkVat,
        { IsEuMember: true } => TaxSystem.EuVat,
        _ => TaxSystem.None,
    };

    public static TaxSystem Resolve(TaxSystem chosen, string? countryCode) =>
        chosen == TaxSystem.AutoDetect ? Detect(countryCode) : chosen;

    public static string Describe(TaxSystem system) => system switch
    {
        TaxSystem.AutoDetect => "Auto-detect from country",
        TaxSystem.UsSalesTax => "US Sales Tax",
        TaxSystem.EuVat => "EU VAT",
        TaxSystem.UkVat => "UK VAT",
        _ => "None",
    };
}

/// <summary>Path 2: start fresh from country templates.</summary>
public sealed record TemplateOnboarding(
    string? Name,
    string? CountryCode,
    AccountingStandard Standard = AccountingStandard.UsGaap,
    ChartTemplate Chart = ChartTemplate.Standard,
    TaxSystem TaxSystem = TaxSystem.AutoDetect,
    bool BillToPartner = false);

/// <summary>
/// Path 1: copy the configuration of <see cref="SourceOrganizationId"/> (the partner itself or one of its clients),
/// and, when <see cref="SourceEntityId"/> is given, that entity's posting profiles, transaction types and workflows.
/// </summary>
public sealed record CopyOnboarding(string? Name, Guid SourceOrganizationId, Guid? SourceEntityId, string? CountryCode = null, bool BillToPartner = false);

/// <summary>
/// How many rows each layer wrote, what could not be copied, and the client's own new API key (shown this once;
/// only its hash is stored).
/// </summary>
public sealed record OnboardingResult(
    Guid OrganizationId,
    string Name,
    IReadOnlyDictionary<string, int> Copied,
    IReadOnlyList<string> Warnings,
    string ApiKey);
