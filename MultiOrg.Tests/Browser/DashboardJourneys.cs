using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MultiOrg.Tests.Browser;

/// <summary>The organization dashboard as a MEMBER and an OWNER see it (#25 point 8).</summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardJourneys(BrowserFixture fixture)
{
    private sealed class ChartText
    {
        public string Text { get; set; } = "";

        public double Height { get; set; }

        public bool IsValue { get; set; }
    }

    [Fact]
    public async Task A_members_dashboard_has_compact_stat_cards_and_charts_scaled_to_their_data_with_readable_labels()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("mia.member@demo.multiorg.test");

        // Acme, where Mia is a MEMBER (other journeys switch her to Smith Family, where she is an ADMIN).
        await page.GotoAsync($"/organizations/{await fixture.OrganizationIdAsync("Acme Corp")}/dashboard");
        await page.WaitForCircuitAsync();
        await Expect(page.Locator("[data-testid='chart-teams'] svg text").First).ToBeVisibleAsync();

        // A MEMBER sees two of the four figures: they keep a stat card's height instead of growing to a chart's.
        var members = (await page.Locator("[data-testid='stat-members']").BoundingBoxAsync())!;
        var active = (await page.Locator("[data-testid='stat-active7']").BoundingBoxAsync())!;
        active.Height.Should().BeLessThanOrEqualTo(members.Height + 8,
            $"the 'Active, last 7 days' card is {active.Height:F0} px tall where the 'Members' card is {members.Height:F0} px");
        await page.ScreenshotAsync("dashboard-member-light");

        foreach (var chart in new[] { "chart-roles", "chart-teams" })
        {
            var texts = await page.Locator($"[data-testid='{chart}'] svg text").EvaluateAllAsync<ChartText[]>(
                "texts => texts.map(t => ({ text: t.textContent.trim(), height: t.getBoundingClientRect().height, isValue: t.classList.contains('mud-chart-value-label') }))");
            var labels = texts.Where(t => t.Text.Length > 0).ToList();
            labels.Should().NotBeEmpty();
            labels.Should().OnlyContain(t => t.Height >= 12,
                $"every label of {chart} is drawn at least 12 px tall (heights: {string.Join(", ", labels.Select(t => $"{t.Text} {t.Height:F1}"))})");

            // The y axis runs to just above the largest bar, not to a fixed 20.
            var largest = texts.Where(t => t.IsValue).Max(t => double.Parse(t.Text, System.Globalization.CultureInfo.InvariantCulture));
            var ticks = texts.Where(t => !t.IsValue && double.TryParse(t.Text, System.Globalization.CultureInfo.InvariantCulture, out _))
                .Select(t => double.Parse(t.Text, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            ticks.Should().NotBeEmpty();
            ticks.Max().Should().BeInRange(largest, Math.Max(2 * largest, largest + 1),
                $"the y axis of {chart} ends near its largest value {largest} (ticks: {string.Join(", ", ticks)})");
        }
    }

    [Fact]
    public async Task An_owners_dashboard_shows_every_figure_in_one_row_of_equal_cards()
    {
        var page = await fixture.NewPageAsync(dark: true);
        await page.SignInAsync("olivia.owner@demo.multiorg.test");
        await Expect(page.Locator("[data-testid='stat-requests']")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid='chart-activity'] svg text").First).ToBeVisibleAsync();

        var heights = new List<double>();
        foreach (var card in new[] { "stat-members", "stat-active7", "stat-active30", "stat-invitations", "stat-requests" })
        {
            heights.Add((await page.Locator($"[data-testid='{card}']").BoundingBoxAsync())!.Height);
        }

        (heights.Max() - heights.Min()).Should().BeLessThanOrEqualTo(8, $"the figures are cards of one height ({string.Join(", ", heights.Select(h => h.ToString("F0")))} px)");
        var activityLabels = await page.Locator("[data-testid='chart-activity'] svg text").EvaluateAllAsync<double[]>(
            "texts => texts.filter(t => t.textContent.trim().length > 0).map(t => t.getBoundingClientRect().height)");
        activityLabels.Should().OnlyContain(h => h >= 12, $"the activity chart's labels are readable ({string.Join(", ", activityLabels.Select(h => h.ToString("F1")))} px)");
        await page.ScreenshotAsync("dashboard-owner-dark");
    }
}
