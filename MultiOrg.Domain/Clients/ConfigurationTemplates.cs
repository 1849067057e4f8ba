using MultiOrg.Domain.Accounting;

namespace MultiOrg.Domain.Clients;

public sealed record AccountTemplate(string Number, string Name, AccountType Type, string? Parent = null);

public sealed record TaxCodeTemplate(string Code, string Name, decimal RatePercent, TaxDirection Direction = TaxDirection.Both);

public sealed record TaxAuthorityTemplate(string Name, string CountryCode, string? Region, IReadOnlyList<TaxCodeTemplate> Codes);

/// <summary>
/// The system templates behind "Start fresh": standard charts of accounts per accounting standard, tax codes with
/// their rates per tax system (EU rates per member state as of 2025), and the defaults every organization starts with.
/// </summary>
public static class ConfigurationTemplates
{
    public static IReadOnlyList<AccountTemplate> Chart(AccountingStandard standard, ChartTemplate chart) =>
        chart == ChartTemplate.Empty ? [] : standard == AccountingStandard.Ifrs ? IfrsChart : UsGaapChart;

    public static readonly IReadOnlyList<AccountTemplate> UsGaapChart =
    [
        new("1000", "Assets", AccountType.Asset),
        new("1010", "Cash - Operating", AccountType.Asset, "1000"),
        new("1020", "Cash - Payroll", AccountType.Asset, "1000"),
        new("1100", "Accounts Receivable", AccountType.Asset, "1000"),
        new("1150", "Allowance for Doubtful Accounts", AccountType.Asset, "1000"),
        new("1200", "Inventory", AccountType.Asset, "1000"),
        new("1300", "Prepaid Expenses", AccountType.Asset, "1000"),
        new("1500", "Property and Equipment", AccountType.Asset, "1000"),
        new("1510", "Furniture and Equipment", AccountType.Asset, "1500"),
        new("1520", "Vehicles", AccountType.Asset, "1500"),
        new("1590", "Accumulated Depreciation", AccountType.Asset, "1500"),
        new("2000", "Liabilities", AccountType.Liability),
        new("2010", "Accounts Payable", AccountType.Liability, "2000"),
        new("2100", "Accrued Liabilities", AccountType.Liability, "2000"),
        new("2200", "Sales Tax Payable", AccountType.Liability, "2000"),
        new("2300", "Payroll Liabilities", AccountType.Liability, "2000"),
        new("2500", "Notes Payable", AccountType.Liability, "2000"),
        new("2700", "Long-term Debt", AccountType.Liability, "2000"),
        new("3000", "Equity", AccountType.Equity),
        new("3010", "Common Stock", AccountType.Equity, "3000"),
        new("3100", "Additional Paid-in Capital", AccountType.Equity, "3000"),
        new("3200", "Retained Earnings", AccountType.Equity, "3000"),
        new("3300", "Dividends", AccountType.Equity, "3000"),
        new("4000", "Revenue", AccountType.Revenue),
        new("4010", "Product Sales", AccountType.Revenue, "4000"),
        new("4020", "Service Revenue", AccountType.Revenue, "4000"),
        new("4100", "Sales Returns and Allowances", AccountType.Revenue, "4000"),
        new("4900", "Other Income", AccountType.Revenue, "4000"),
        new("5000", "Cost of Goods Sold", AccountType.Expense),
        new("5010", "Purchases", AccountType.Expense, "5000"),
        new("5100", "Freight In", AccountType.Expense, "5000"),
        new("6000", "Operating Expenses", AccountType.Expense),
        new("6010", "Salaries and Wages", AccountType.Expense, "6000"),
        new("6020", "Payroll Taxes", AccountType.Expense, "6000"),
        new("6100", "Rent", AccountType.Expense, "6000"),
        new("6200", "Utilities", AccountType.Expense, "6000"),
        new("6300", "Office Supplies", AccountType.Expense, "6000"),
        new("6400", "Insurance", AccountType.Expense, "6000"),
        new("6500", "Depreciation Expense", AccountType.Expense, "6000"),
        new("6600", "Professional Fees", AccountType.Expense, "6000"),
        new("6700", "Advertising", AccountType.Expense, "6000"),
        new("6800", "Travel", AccountType.Expense, "6000"),
        new("6900", "Bank Fees", AccountType.Expense, "6000"),
        new("7000", "Interest Expense", AccountType.Expense),
        new("8000", "Income Tax Expense", AccountType.Expense),
    ];

    public static readonly IReadOnlyList<AccountTemplate> IfrsChart =
    [
        new("1000", "Non-current assets", AccountType.Asset),
        new("1100", "Property, plant and equipment", AccountType.Asset, "1000"),
        new("1110", "Accumulated depreciation - property, plant and equipment", AccountType.Asset, "1000"),
        new("1200", "Right-of-use assets", AccountType.Asset, "1000"),
        new("1300", "Intangible assets", AccountType.Asset, "1000"),
        new("1310", "Accumulated amortisation - intangible assets", AccountType.Asset, "1000"),
        new("1400", "Investment property", AccountType.Asset, "1000"),
        new("1500", "Deferred tax assets", AccountType.Asset, "1000"),
        new("1600", "Current assets", AccountType.Asset),
        new("1610", "Inventories", AccountType.Asset, "1600"),
        new("1620", "Trade receivables", AccountType.Asset, "1600"),
        new("1625", "Loss allowance - trade receivables", AccountType.Asset, "1600"),
        new("1630", "Contract assets", AccountType.Asset, "1600"),
        new("1640", "Prepayments", AccountType.Asset, "1600"),
        new("1650", "VAT receivable", AccountType.Asset, "1600"),
        new("1700", "Cash and cash equivalents", AccountType.Asset, "1600"),
        new("2000", "Equity", AccountType.Equity),
        new("2010", "Share capital", AccountType.Equity, "2000"),
        new("2020", "Share premium", AccountType.Equity, "2000"),
        new("2030", "Retained earnings", AccountType.Equity, "2000"),
        new("2040", "Other comprehensive income reserve", AccountType.Equity, "2000"),
        new("2500", "Non-current liabilities", AccountType.Liability),
        new("2510", "Borrowings - non-current", AccountType.Liability, "2500"),
        new("2520", "Lease liabilities - non-current", AccountType.Liability, "2500"),
        new("2530", "Deferred tax liabilities", AccountType.Liability, "2500"),
        new("2540", "Provisions - non-current", AccountType.Liability, "2500"),
        new("2600", "Current liabilities", AccountType.Liability),
        new("2610", "Trade payables", AccountType.Liability, "2600"),
        new("2620", "Contract liabilities", AccountType.Liability, "2600"),
        new("2630", "VAT payable", AccountType.Liability, "2600"),
        new("2640", "Current tax liabilities", AccountType.Liability, "2600"),
        new("2650", "Employee benefit obligations", AccountType.Liability, "2600"),
        new("2660", "Lease liabilities - current", AccountType.Liability, "2600"),
        new("4000", "Revenue from contracts with customers", AccountType.Revenue),
        new("4010", "Revenue - sale of goods", AccountType.Revenue, "4000"),
        new("4020", "Revenue - rendering of services", AccountType.Revenue, "4000"),
        new("4100", "Other income", AccountType.Revenue),
        new("4200", "Finance income", AccountType.Revenue),
        new("5000", "Cost of sales", AccountType.Expense),
        new("6000", "Distribution costs", AccountType.Expense),
        new("6100", "Administrative expenses", AccountType.Expense),
        new("6110", "Employee benefits expense", AccountType.Expense, "6100"),
        new("6120", "Depreciation and amortisation expense", AccountType.Expense, "6100"),
        new("6130", "Short-term lease expense", AccountType.Expense, "6100"),
        new("6140", "Professional fees", AccountType.Expense, "6100"),
        new("6200", "Impairment losses on financial assets", AccountType.Expense),
        new("7000", "Finance costs", AccountType.Expense),
        new("8000", "Income tax expense", AccountType.Expense),
    ];

    /// <summary>Standard rate first, then the reduced rates, per EU member state (2025).</summary>
    private static readonly IReadOnlyDictionary<string, decimal[]> EuVatRates = new Dictionary<string, decimal[]>
    {
        ["AT"] = [20m, 13m, 10m], ["BE"] = [21m, 12m, 6m], ["BG"] = [20m, 9m], ["HR"] = [25m, 13m, 5m],
        ["CY"] = [19m, 9m, 5m], ["CZ"] = [21m, 12m], ["DK"] = [25m], ["EE"] = [24m, 9m], ["FI"] = [25.5m, 14m, 10m],
        ["FR"] = [20m, 10m, 5.5m, 2.1m], ["DE"] = [19m, 7m], ["GR"] = [24m, 13m, 6m], ["HU"] = [27m, 18m, 5m],
        ["IE"] = [23m, 13.5m, 9m], ["IT"] = [22m, 10m, 5m, 4m], ["LV"] = [21m, 12m, 5m], ["LT"] = [21m, 9m, 5m],
        ["LU"] = [17m, 14m, 8m, 3m], ["MT"] = [18m, 7m, 5m], ["NL"] = [21m, 9m], ["PL"] = [23m, 8m, 5m],
        ["PT"] = [23m, 13m, 6m], ["RO"] = [21m, 11m], ["SK"] = [23m, 19m, 5m], ["SI"] = [22m, 9.5m, 5m],
        ["ES"] = [21m, 10m, 4m], ["SE"] = [25m, 12m, 6m],
    };

    /// <summary>The tax authorities and codes of a tax system for a country; EU VAT needs an EU member state.</summary>
    public static IReadOnlyList<TaxAuthorityTemplate> Taxes(TaxSystem system, Country? country) => system switch
    {
        TaxSystem.UsSalesTax =>
        [
            new("California Department of Tax and Fee Administration", "US", "CA", [new("CA-STATE", "California state sales tax", 7.25m, TaxDirection.Sales)]),
            new("Texas Comptroller of Public Accounts", "US", "TX", [new("TX-STATE", "Texas state sales tax", 6.25m, TaxDirection.Sales)]),
            new("New York State Department of Taxation and Finance", "US", "NY", [new("NY-STATE", "New York state sales tax", 4m, TaxDirection.Sales)]),
            new("Florida Department of Revenue", "US", "FL", [new("FL-STATE", "Florida state sales tax", 6m, TaxDirection.Sales)]),
            new("Washington State Department of Revenue", "US", "WA", [new("WA-STATE", "Washington state sales tax", 6.5m, TaxDirection.Sales)]),
            new("Illinois Department of Revenue", "US", "IL", [new("IL-STATE", "Illinois state sales tax", 6.25m, TaxDirection.Sales)]),
            new("Pennsylvania Department of Revenue", "US", "PA",
                [new("PA-STATE", "Pennsylvania state sales tax", 6m, TaxDirection.Sales), new("EXEMPT", "Exempt sale (resale certificate)", 0m, TaxDirection.Sales)]),
        ],
        TaxSystem.UkVat =>
        [
            new("HM Revenue & Customs", "GB", null,
            [
                new("S", "Standard rate", 20m), new("R", "Reduced rate", 5m), new("Z", "Zero rate", 0m),
                new("E", "Exempt", 0m), new("RC", "Domestic reverse charge", 0m, TaxDirection.Purchase),
            ]),
        ],
        TaxSystem.EuVat => EuVat(country),
        _ => [],
    };

    private static IReadOnlyList<TaxAuthorityTemplate> EuVat(Country? country)
    {
        if (country is null || !EuVatRates.TryGetValue(country.Code, out var rates))
        {
            throw Errors.DomainException.Invalid("countryCode", "EU VAT needs an EU member state as the country.");
        }

        var codes = new List<TaxCodeTemplate> { new("VAT-STD", $"{country.Name} standard rate", rates[0]) };
        for (var i = 1; i < rates.Length; i++)
        {
            codes.Add(new TaxCodeTemplate($"VAT-RED{i}", $"{country.Name} reduced rate {i}", rates[i]));
        }

        codes.Add(new TaxCodeTemplate("VAT-ZERO", "Zero rate", 0m));
        codes.Add(new TaxCodeTemplate("VAT-EXEMPT", "Exempt", 0m));
        codes.Add(new TaxCodeTemplate("VAT-RC-EU", "Intra-EU reverse charge", 0m, TaxDirection.Purchase));
        return [new TaxAuthorityTemplate($"{country.Name} tax administration (VAT)", country.Code, null, codes)];
    }

    public static readonly IReadOnlyList<(string Code, string Name, int DueDays, decimal DiscountPercent, int DiscountDays)> PaymentTerms =
    [
        ("DOR", "Due on receipt", 0, 0m, 0),
        ("NET15", "Net 15 days", 15, 0m, 0),
        ("NET30", "Net 30 days", 30, 0m, 0),
        ("NET60", "Net 60 days", 60, 0m, 0),
        ("2/10N30", "2% 10 days, net 30", 30, 2m, 10),
    ];

    /// <summary>Layer 1: the document sequences every organization gets, always fresh.</summary>
    public static readonly IReadOnlyList<(string Code, string Prefix)> NumberSeries =
    [
        ("INV", "INV-"), ("BILL", "BILL-"), ("JE", "JE-"), ("CN", "CN-"),
    ];
}
