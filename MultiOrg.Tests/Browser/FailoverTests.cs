using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MultiOrg.Tests.Browser;

/// <summary>
/// A server goes away behind the balancer: its tabs reconnect to the other server. Its own pair of servers (this test
/// kills A), apart from <see cref="TwoServerTests"/>.
/// </summary>
[Collection(TwoServerCollection.Name)]
public sealed class FailoverTests(TwoServers servers, ITestOutputHelper output) : IClassFixture<TwoServers>
{
    private const string Olivia = "olivia.owner@demo.multiorg.test";
    private const string Adam = "adam.admin@demo.multiorg.test";
    private const string Mia = "mia.member@demo.multiorg.test";

    [Fact]
    public async Task A_paused_tab_resumes_on_the_other_server_in_its_organization_then_tabs_of_a_stopped_server_come_back_without_signing_in_and_a_removed_member_is_refused()
    {
        using var adam = await TwoServers.ApiAsync(servers.B, Adam);
        var organizations = await adam.GetFromJsonAsync<JsonElement>("/api/organizations");
        var acme = organizations.EnumerateArray().Single(o => o.GetProperty("name").GetString() == "Acme Corp").GetProperty("id").GetGuid();
        var members = await adam.GetFromJsonAsync<JsonElement>($"/api/organizations/{acme}/members?search=mia.member");
        var miaId = members.GetProperty("items").EnumerateArray().Single().GetProperty("userId").GetString();

        // Olivia works in Acme, then opens the directory (a page whose URL names no organization: the tab stays in Acme).
        var olivia = await servers.NewPageAsync(servers.Balancer.BaseUrl);
        await olivia.SignInAsync(Olivia);
        await olivia.GotoAsync($"/organizations/{acme}/members");
        await olivia.WaitForCircuitAsync();
        await olivia.GetByTestId("directory-link").ClickAsync();
        await olivia.WaitForURLAsync(url => url.EndsWith("/directory", StringComparison.Ordinal));
        await Expect(olivia.Locator(".mo-nav-caption")).ToHaveTextAsync("Acme Corp");
        var mia = await servers.NewPageAsync(servers.Balancer.BaseUrl);
        await mia.SignInAsync(Mia);
        await mia.GotoAsync($"/organizations/{acme}/dashboard");
        await mia.WaitForCircuitAsync();

        // 1. Circuit state persistence: Olivia's tab pauses on A and resumes through the balancer on B, which finds its
        //    state (HybridCache over Redis, keys in the database) and enters Acme again after checking the membership.
        (await olivia.EvaluateAsync<bool>("() => Blazor.pauseCircuit()")).Should().BeTrue();
        servers.Balancer.PointAt(new Uri(servers.B.BaseUrl));
        (await olivia.EvaluateAsync<bool>("() => Blazor.resumeCircuit()")).Should().BeTrue("B resumes the circuit A paused");
        await Expect(olivia.Locator(".mo-nav-caption")).ToHaveTextAsync("Acme Corp");
        olivia.Url.Should().EndWith("/directory");

        // 2. A goes away while Mia's tab is open on it; meanwhile an admin removes her on B.
        servers.Balancer.PointAt(new Uri(servers.A.BaseUrl));
        await mia.EvaluateAsync("() => { window.beforeFailover = true; }");
        await servers.A.KillAsync();
        (await adam.DeleteAsync($"/api/organizations/{acme}/members/{miaId}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        servers.Balancer.PointAt(new Uri(servers.B.BaseUrl));

        // Her tab reconnects through the balancer to B, which has no such circuit: it loads the same page anew, and B's
        // own check of the database refuses the membership removed while she was away.
        await mia.WaitForFunctionAsync("() => window.beforeFailover === undefined", null, new() { Timeout = 60_000 });
        await mia.WaitForCircuitAsync();
        output.WriteLine($"Mia's tab after the failover: {mia.Url}");
        mia.Url.Should().EndWith($"/organizations/{acme}/dashboard", "the same page, not the sign-in page");
        await Expect(mia.GetByText("You don't have access to this organization")).ToBeVisibleAsync();

        // Olivia's tab (on B since the resume) goes on working, and a new page of hers on B needs no sign-in.
        await olivia.GotoAsync($"/organizations/{acme}/members");
        await olivia.WaitForCircuitAsync();
        olivia.Url.Should().EndWith($"/organizations/{acme}/members");
        await Expect(olivia.GetByRole(AriaRole.Heading, new() { Name = "Members", Exact = true })).ToBeVisibleAsync();
    }
}
