using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MultiOrg.Tests.Browser;

/// <summary>
/// Hidden tabs pause (#28 point 4): a tab hidden for <c>Circuits:PauseHiddenAfterSeconds</c> hands its circuit's state to
/// the browser and the server lets the circuit go; shown again, it resumes in place. Its own server (the fixture's
/// browser), so the server's circuit count is this journey's tab alone.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class HiddenTabJourneys(BrowserFixture fixture)
{
    private const string Olivia = "olivia.owner@demo.multiorg.test";
    private const string Mia = "mia.member@demo.multiorg.test";
    private const int PauseAfterSeconds = 1;

    [Fact]
    public async Task A_hidden_tab_frees_its_circuit_and_shown_again_resumes_in_place_with_the_membership_changes_made_meanwhile()
    {
        await using var server = await AppServer.StartAsync(seedDemoData: true, new AppServerOptions
        {
            Settings = new Dictionary<string, string>
            {
                ["Circuits:PauseHiddenAfterSeconds"] = PauseAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),

                // The page left behind by the sign-in lets its circuit go at once, not after the default three minutes.
                ["Circuits:DisconnectedRetention"] = "00:00:01",
            },
        });
        using var olivia = await TwoServers.ApiAsync(server, Olivia);
        var acme = (await olivia.GetFromJsonAsync<JsonElement>("/api/organizations")).EnumerateArray()
            .Single(o => o.GetProperty("name").GetString() == "Acme Corp").GetProperty("id").GetGuid();
        var miaId = (await olivia.GetFromJsonAsync<JsonElement>($"/api/organizations/{acme}/members?search=mia.member"))
            .GetProperty("items").EnumerateArray().Single().GetProperty("userId").GetString();

        var page = await NewPageAsync(server);
        await page.SignInAsync(Mia, check: false);
        var dashboard = $"/organizations/{acme}/dashboard";
        await page.GotoAsync(dashboard);
        await page.WaitForCircuitAsync(check: false);
        await Expect(page.GetByTestId("dashboard-role")).ToContainTextAsync("You are MEMBER");
        await ExpectCircuitsAsync(server, 1, "Mia's tab is the server's one circuit");
        await page.EvaluateAsync("() => { window.sameDocument = true; }");

        // 1. Hidden: after the configured delay the tab pauses, without a dialog, and the server holds no circuit.
        var clock = Stopwatch.StartNew();
        await SetHiddenAsync(page, hidden: true);
        await ExpectCircuitsAsync(server, 0, "the hidden tab paused and the server let its circuit go");
        clock.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(PauseAfterSeconds), "the tab waits the configured delay before pausing");
        (await page.Locator("#components-reconnect-modal").EvaluateAsync<bool>("dialog => dialog.open")).Should().BeFalse("a hidden tab pauses without the 'paused' dialog");

        // Meanwhile, an owner makes Mia an ADMIN: no circuit of hers is there to hear it.
        (await olivia.PatchAsJsonAsync($"/api/organizations/{acme}/members/{miaId}", new { role = "ADMIN" })).EnsureSuccessStatusCode();

        // 2. Shown: the same document, page and organization, entered again with the role of now; the tab works.
        await SetHiddenAsync(page, hidden: false);
        await Expect(page.GetByTestId("dashboard-role")).ToContainTextAsync("You are ADMIN");
        await ExpectCircuitsAsync(server, 1, "the shown tab resumed its circuit");
        new Uri(page.Url).AbsolutePath.Should().Be(dashboard);
        (await page.EvaluateAsync<bool>("() => window.sameDocument === true")).Should().BeTrue("the circuit resumed in place; the page was not reloaded");
        await Expect(page.Locator(".mo-nav-caption")).ToHaveTextAsync("Acme Corp");
        await page.Locator("input[data-testid='note-text']").FillAsync("Posted after the tab came back");
        await page.GetByTestId("add-note").ClickAsync();
        await Expect(page.GetByTestId("note").Filter(new() { HasText = "Posted after the tab came back" })).ToBeVisibleAsync();

        // 3. Hidden again, and removed from Acme meanwhile: shown, the tab is refused before anything of Acme renders.
        await SetHiddenAsync(page, hidden: true);
        await ExpectCircuitsAsync(server, 0, "the tab hidden again paused again");
        (await olivia.DeleteAsync($"/api/organizations/{acme}/members/{miaId}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await SetHiddenAsync(page, hidden: false);
        await Expect(page.GetByText("You don't have access to this organization")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("note")).ToHaveCountAsync(0);
        (await page.EvaluateAsync<bool>("() => window.sameDocument === true")).Should().BeTrue("the refusal came from the resumed circuit, not a reload");
        await page.Context.CloseAsync();
    }

    private async Task<IPage> NewPageAsync(AppServer server)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.BaseUrl,
            ViewportSize = new ViewportSize { Width = 1366, Height = 860 },
        });
        context.SetDefaultTimeout(15_000);
        context.FailOnCspViolations(fixture.CspViolations);
        return await context.NewPageAsync();
    }

    /// <summary>What the browser does when another tab comes to the front (or back): the page's visibility changes.</summary>
    private static Task SetHiddenAsync(IPage page, bool hidden) => page.EvaluateAsync(
        """
        hidden => {
            Object.defineProperty(document, "visibilityState", { configurable: true, get: () => hidden ? "hidden" : "visible" });
            Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });
            document.dispatchEvent(new Event("visibilitychange"));
        }
        """, hidden);

    /// <summary>Waits until the server's circuit count is <paramref name="expected"/>: each pause and resume ends in it.</summary>
    private static async Task ExpectCircuitsAsync(AppServer server, double expected, string because)
    {
        var clock = Stopwatch.StartNew();
        var now = await server.ActiveCircuitsAsync();
        while (now != expected && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
            now = await server.ActiveCircuitsAsync();
        }

        now.Should().Be(expected, "{0} (after {1:0} ms)", because, clock.Elapsed.TotalMilliseconds);
    }
}
