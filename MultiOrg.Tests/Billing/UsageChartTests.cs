using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Billing;

public sealed class UsageChartTests
{
    /// <summary>
    /// The demo's partner firm used 8,400 credits on one day of last month (its ledger says so, and its statement); the
    /// 30-day chart read on the day after must show them. The clock starts before the seeded day and is moved to the
    /// day after it, so the day always falls in the chart's window whatever today's date.
    /// </summary>
    [Fact]
    public async Task Billing_usage_chart_shows_every_credit_the_ledger_records_as_used()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(DateTime.UtcNow.AddMonths(-2), TimeSpan.Zero));
        using var factory = new ApiFactory(new Dictionary<string, string> { ["Database:SeedDemoData"] = "true", [LongJumps.Setting] = LongJumps.Value })
        {
            ExtraServices = services => services.AddSingleton<TimeProvider>(clock),
        };
        var partner = await OrganizationOfAsync(await factory.LoginAsync("paula.partner@demo.multiorg.test", MultiOrg.Data.Seed.DemoData.Password), "Brightside Accounting");
        var paula = partner.Client;
        var ledger = await paula.GetFromJsonAsync<JsonElement>($"/api/organizations/{partner.Id}/billing/ledger?kind=Usage", ApiFactory.Json);
        var used = ledger.GetProperty("items").EnumerateArray()
            .Select(e => (Day: DateOnly.FromDateTime(e.GetProperty("occurredAt").GetDateTime().ToUniversalTime()), Credits: -e.GetProperty("amount").GetInt64()))
            .ToList();
        used.Should().NotBeEmpty("the demo partner used credits last month");
        var day = used.Max(u => u.Day);

        clock.SetUtcNow(new DateTimeOffset(day.AddDays(1).ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero));
        paula = (await OrganizationOfAsync(await factory.LoginAsync("paula.partner@demo.multiorg.test", MultiOrg.Data.Seed.DemoData.Password), "Brightside Accounting")).Client;
        var summary = await paula.GetFromJsonAsync<JsonElement>($"/api/organizations/{partner.Id}/billing", ApiFactory.Json);

        var chart = summary.GetProperty("usageLast30Days").EnumerateArray()
            .ToDictionary(d => DateOnly.Parse(d.GetProperty("day").GetString()!, System.Globalization.CultureInfo.InvariantCulture), d => d.GetProperty("credits").GetInt64());
        var expected = used.Where(u => u.Day > day.AddDays(-30)).GroupBy(u => u.Day).ToDictionary(g => g.Key, g => g.Sum(u => u.Credits));
        chart.Where(c => c.Value != 0).Should().BeEquivalentTo(expected,
            $"the chart of the 30 days to {day.AddDays(1):d MMM yyyy} shows what the ledger records as used (ledger: {string.Join(", ", expected.Select(e => $"{e.Key:d MMM} {e.Value:N0}"))})");
    }

    private static async Task<(Guid Id, HttpClient Client)> OrganizationOfAsync(HttpClient client, string name)
    {
        var organizations = await client.GetFromJsonAsync<JsonElement>("/api/organizations", ApiFactory.Json);
        var list = organizations.ValueKind == JsonValueKind.Array ? organizations : organizations.GetProperty("items");
        var id = list.EnumerateArray().Single(o => o.GetProperty("name").GetString() == name).GetProperty("id").GetGuid();
        return (id, client);
    }
}
