using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using MultiOrg.Tests.Harness;
using MultiOrg.Web.Features.Assistant;

namespace MultiOrg.Tests.Assistant;

/// <summary>
/// The daily clean-up of assistant registrations as the app runs it: the hosted job resolved from the app's services and
/// ticked by hand, on a clock the test moves (OpenIddict reads the same clock, so tokens expire with it).
/// </summary>
public sealed class AssistantClientPurgeTests
{
    [Fact]
    public async Task Registrations_with_nothing_in_use_for_the_retention_are_removed_and_a_client_in_use_keeps_working()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var registered = false;
        await using var factory = new ApiFactory(new Dictionary<string, string>
        {
            ["Assistant:UnusedClientRetention"] = "10.00:00:00",
            [LongJumps.Setting] = LongJumps.Value,
        })
        {
            // The hosted job's first tick would race the set-up: the test ticks a job of its own instead.
            ExtraServices = services =>
            {
                var hosted = services.SingleOrDefault(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(AssistantClientPurgeJob));
                registered = hosted is not null;
                if (hosted is not null)
                {
                    services.Remove(hosted);
                }

                services.AddSingleton<AssistantClientPurgeJob>();
                services.AddSingleton<TimeProvider>(clock);
            },
        };
        var owner = await factory.RegisterAsync("purge");
        var id = await owner.CreateOrganizationAsync("Purged");
        using var anonymous = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var browser = await factory.BrowserOfAsync(owner);
        var neverGranted = await RawAssistant.RegisterAsync(anonymous, "Never granted");
        var inUse = await RawAssistant.RegisterAsync(anonymous, "In use");
        var revoked = await RawAssistant.RegisterAsync(anonymous, "Revoked");
        var lapsed = await RawAssistant.RegisterAsync(anonymous, "Lapsed");
        var inUseRefresh = await ConnectAsync(anonymous, browser, inUse, id);
        await ConnectAsync(anonymous, browser, inUse, id);
        await ConnectAsync(anonymous, browser, revoked, id);
        await ConnectAsync(anonymous, browser, lapsed, id);
        await factory.RevokeAssistantsAsync(owner, "Revoked");
        var unstamped = await RawAssistant.RegisterAsync(anonymous, "Registered before the date was kept");
        await using (var db = factory.Database.CreateContext())
        {
            (await db.Set<OpenIddictEntityFrameworkCoreApplication>().Where(a => a.ClientId == unstamped.ClientId)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.Properties, (string?)null))).Should().Be(1);
        }

        var job = factory.Services.GetRequiredService<AssistantClientPurgeJob>();

        clock.Advance(TimeSpan.FromDays(11));
        inUseRefresh = await RefreshAsync(anonymous, inUse, inUseRefresh);
        var young = await RawAssistant.RegisterAsync(anonymous, "Young");
        (await job.TickAsync(CancellationToken.None)).Should().BeTrue();
        var dayEleven = await ExistingAsync(factory, neverGranted, inUse, revoked, lapsed, young, unstamped);
        var grantsOnDayEleven = await factory.AssistantGrantsOfAsync(owner);

        clock.Advance(TimeSpan.FromDays(29));
        await RefreshAsync(anonymous, inUse, inUseRefresh);
        clock.Advance(TimeSpan.FromDays(5));
        (await job.TickAsync(CancellationToken.None)).Should().BeTrue();
        var dayFortyFive = await ExistingAsync(factory, neverGranted, inUse, revoked, lapsed, young, unstamped);
        var grantsOnDayFortyFive = await factory.AssistantGrantsOfAsync(owner);

        registered.Should().BeTrue("the app runs the clean-up as a hosted job");
        job.Interval.Should().Be(TimeSpan.FromDays(1));
        dayEleven.Should().Equal(
            [false, true, false, true, true, true],
            "day 11 (retention 10 days): gone are the registration never granted and the one whose only grant was revoked; the lapsed client's refresh token lasts until day 30; the young one was registered today; the one without a date counts from today");
        grantsOnDayEleven.Select(g => g.ClientName).Should().BeEquivalentTo(["In use", "In use", "Lapsed"]);
        dayFortyFive.Should().Equal(
            [false, true, false, false, false, false],
            "day 45: the lapsed client's last token ended on day 30, the young one never got a grant in ten days, nor the one dated on day 11; the client refreshed on day 40 stays");
        grantsOnDayFortyFive.Select(g => g.ClientName).Should().Equal(["In use"], "the in-use client's other grant, unused since day 0, lapsed and left the person's list");
    }

    private static async Task<string> ConnectAsync(HttpClient anonymous, HttpClient browser, RawAssistant assistant, Guid organizationId)
    {
        var form = await RawAssistant.ConsentFormAsync(browser, assistant.Authorize($"http://localhost/mcp/{organizationId}"));
        var answer = RawAssistant.AnswerOf(await browser.PostAsync("/oauth/authorize", new FormUrlEncodedContent([.. form, new("decision", "allow")])));
        var exchanged = await assistant.ExchangeAsync(anonymous, answer["code"]!);
        exchanged.StatusCode.Should().Be(HttpStatusCode.OK, await exchanged.Content.ReadAsStringAsync());
        return (await exchanged.JsonAsync()).GetProperty("refresh_token").GetString()!;
    }

    private static async Task<string> RefreshAsync(HttpClient anonymous, RawAssistant assistant, string refreshToken)
    {
        var refreshed = await anonymous.PostAsync("/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken, ["client_id"] = assistant.ClientId,
        }));
        refreshed.StatusCode.Should().Be(HttpStatusCode.OK, await refreshed.Content.ReadAsStringAsync());
        return (await refreshed.JsonAsync()).GetProperty("refresh_token").GetString()!;
    }

    private static async Task<bool[]> ExistingAsync(ApiFactory factory, params RawAssistant[] assistants)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var existing = new List<bool>();
        foreach (var assistant in assistants)
        {
            existing.Add(await applications.FindByClientIdAsync(assistant.ClientId) is not null);
        }

        return [.. existing];
    }
}
