using MultiOrg.Domain.Clients;

namespace MultiOrg.Tests.Clients;

/// <summary>Country and currency data come from our own dated table, not from the machine's ICU data.</summary>
public sealed class CountriesTests
{
    [Fact]
    public void Bulgaria_pays_in_euro_since_1_January_2026()
    {
        var bulgaria = Countries.Find("BG")!;

        bulgaria.CurrencyCode.Should().Be("EUR");
        bulgaria.CurrencyOn(new DateOnly(2026, 1, 1)).Should().Be("EUR");
        bulgaria.CurrencyOn(new DateOnly(2025, 12, 31)).Should().Be("BGN", "a period before the changeover keeps the lev");
    }

    [Fact]
    public void Every_country_has_one_row_with_iso_codes()
    {
        Countries.All.Select(c => c.Code).Should().OnlyHaveUniqueItems();
        Countries.All.Should().AllSatisfy(c =>
        {
            c.Code.Should().MatchRegex("^[A-Z]{2}$");
            c.CurrencyCode.Should().MatchRegex("^[A-Z]{3}$");
            c.Replaced?.Previous.Should().MatchRegex("^[A-Z]{3}$").And.NotBe(c.CurrencyCode);
        });
    }
}
