namespace MultiOrg.Domain.Clients;

/// <summary>A country the templates know: ISO 3166-1 alpha-2 code, name, currency, and whether it is an EU member state.</summary>
public sealed record Country(string Code, string Name, string CurrencyCode, bool IsEuMember);

/// <summary>The countries offered when a client starts from templates; auto-detection of the tax system reads this list.</summary>
public static class Countries
{
    public static readonly IReadOnlyList<Country> All =
    [
        new("AT", "Austria", "EUR", true), new("BE", "Belgium", "EUR", true), new("BG", "Bulgaria", "BGN", true),
        new("HR", "Croatia", "EUR", true), new("CY", "Cyprus", "EUR", true), new("CZ", "Czechia", "CZK", true),
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
