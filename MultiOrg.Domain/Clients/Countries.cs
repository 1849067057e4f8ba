namespace MultiOrg.Domain.Clients;

/// <summary>
/// A country the templates know: ISO 3166-1 alpha-2 code, name, its ISO 4217 currency as of <see cref="Countries.ReviewedOn"/>,
/// and whether it is an EU member state.
/// </summary>
public sealed record Country(string Code, string Name, string CurrencyCode, bool IsEuMember)
{
    /// <summary>The currency <see cref="CurrencyCode"/> replaced, and from which day; null when it has not changed recently.</summary>
    public CurrencyChange? Replaced { get; init; }

    /// <summary>The currency in force on <paramref name="day"/> (a statement for an earlier period keeps its old currency).</summary>
    public string CurrencyOn(DateOnly day) => Replaced is { } change && day < change.Since ? change.Previous : CurrencyCode;
}

/// <summary><see cref="Country.CurrencyCode"/> is the country's currency since <paramref name="Since"/>; before, it was <paramref name="Previous"/>.</summary>
public sealed record CurrencyChange(string Previous, DateOnly Since);

/// <summary>
/// The countries offered when a client starts from templates; auto-detection of the tax system reads this list. Our own
/// table, not the framework's <c>RegionInfo</c>: that follows the ICU data of the machine it runs on, which still said BGN
/// for Bulgaria a year after the euro. Checked against ISO 3166-1 and ISO 4217 (list one, SIX) on <see cref="ReviewedOn"/>;
/// a currency change is a row with its <see cref="CurrencyChange"/> date.
/// </summary>
public static class Countries
{
    /// <summary>The day every row was last checked; review it at least once a year and when a country changes currency.</summary>
    public static readonly DateOnly ReviewedOn = new(2026, 12, 7);

    public static readonly IReadOnlyList<Country> All =
    [
        new("AT", "Austria", "EUR", true), new("BE", "Belgium", "EUR", true),
        new("BG", "Bulgaria", "EUR", true) { Replaced = new("BGN", new DateOnly(2026, 1, 1)) },
        new("HR", "Croatia", "EUR", true) { Replaced = new("HRK", new DateOnly(2023, 1, 1)) }, new("CY", "Cyprus", "EUR", true), new("CZ", "Czechia", "CZK", true),
        new("DK", "Denmark", "DKK", true), new("EE", "Estonia", "EUR", true), new("FI", "Finland", "EUR", true),
        new("FR", "France", "EUR", true), new("DE", "Germany", "EUR", true), new("GR", "Greece", "EUR", true),
        new("HU", "Hungary", "HUF", true), new("IE", "Ireland", "EUR", true), new("IT", "Italy", "EUR", true),
        new("LV", "Latvia", "EUR", true), new("LT", "Lithuania", "EUR", true), new("LU", "Luxembourg", "EUR", true),
        new("MT", "Malta", "EUR", true), new("NL", "Netherlands", "EUR", true), new("PL", "Poland", "PLN", true),
        new("PT", "Portugal", "EUR", true), new("RO", "Romania", "RON", true), new("SK", "Slovakia", "EUR", true),
        new("SI", "Slovenia", "EUR", true), new("ES", "Spain", "EUR", true), new("SE", "Sweden", "SEK", true),
        new("GB", "United Kingdom", "GBP", false), new("US", "United States", "USD", false),
        new("CA", "Canada", "CAD", false), new("AU", "Australia", "AUD", false), new("NZ", "New Zealand", "NZD", false),
        new("CH", "Switzerland", "CHF", false), new("NO", "Norway", "NOK", false), new("JP", "Japan", "JPY", false),
        new("SG", "Singapore", "SGD", false), new("IN", "India", "INR", false), new("BR", "Brazil", "BRL", false),
        new("MX", "Mexico", "MXN", false), new("ZA", "South Africa", "ZAR", false),
    ];

    public static Country? Find(string? code) =>
        code is null ? null : All.FirstOrDefault(c => c.Code.Equals(code.Trim(), StringComparison.OrdinalIgnoreCase));
}
