using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MultiOrg.Domain.Support;
using MultiOrg.Domain.Users;
using MultiOrg.Tests.Harness;
using MultiOrg.Web.Features.Support;

namespace MultiOrg.Tests.Support;

/// <summary>The banner in one tab of a support user: it must go with the session, however the session ends.</summary>
[Trait(TestDatabase.Trait, TestDatabase.Independent)]
public sealed class ImpersonationBannerTests : ComponentTestBase
{
    private const string Reason = "Ticket 4713: the banner must not outlive the session";

    private readonly TestWorld world = new();

    private readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        world.Dispose();
    }

    private async Task<Actor> SupportAsync()
    {
        world.Time = clock;
        var (_, organizationId) = await world.OrganizationAsync("Greenfield Bakery");
        var sid = await world.CreateUserAsync("Sid");
        await world.GrantAsync(sid, GlobalRole.Support);
        await sid.Support.StartImpersonationAsync(new(organizationId, Reason, Minutes: 1));
        return sid;
    }

    /// <summary>The banner as it is served in <paramref name="tab"/>'s circuit.</summary>
    private IRenderedComponent<ImpersonationBanner> RenderBanner(Actor tab)
    {
        Context.Services.AddSingleton(tab.Tenant);
        Context.Services.AddSingleton(tab.Support);
        Context.Services.AddSingleton<MultiOrg.Domain.Events.IOrganizationEvents>(world.Events);
        Context.Services.AddSingleton<TimeProvider>(clock);
        RenderProviders();

        // A live circuit: only there does the banner count down and listen for the session's end.
        Context.SetRendererInfo(new RendererInfo("Server", true));
        return Context.Render<ImpersonationBanner>();
    }

    private void ShouldHaveLeft(IRenderedComponent<ImpersonationBanner> banner, Actor tab) =>
        banner.WaitForAssertion(
            () =>
            {
                banner.FindAll("[data-testid='impersonation-banner']").Should().BeEmpty("the session is over, so nothing may say it goes on");
                Context.Services.GetRequiredService<NavigationManager>().Uri.Should().EndWith("/support");
                tab.Tenant.Impersonation.Should().BeNull();
            },
            Loaded);

    [Fact]
    public async Task At_the_time_limit_the_banner_goes_and_the_tab_returns_to_the_support_console()
    {
        var sid = await SupportAsync();
        var banner = RenderBanner(sid);
        banner.Find("[data-testid='impersonation-remaining']").TextContent.Should().Be("1:00");

        clock.Advance(TimeSpan.FromSeconds(30));
        banner.WaitForAssertion(() => banner.Find("[data-testid='impersonation-remaining']").TextContent.Should().Be("0:30"), Loaded);
        clock.Advance(TimeSpan.FromSeconds(31));

        ShouldHaveLeft(banner, sid);
        await using var db = world.Database.CreateContext();
        db.Set<ImpersonationSession>().Single().EndedBy.Should().Be(SupportService.EndedByTimeLimit);
    }

    [Fact]
    public async Task Ending_the_impersonation_in_another_tab_takes_this_tab_out_of_it()
    {
        var sid = await SupportAsync();
        var otherTab = world.NewScope(sid.UserId, sid.Email);
        (await otherTab.Support.ResumeImpersonationAsync()).Should().NotBeNull("every tab of the support user shows the session");
        var banner = RenderBanner(otherTab);
        banner.Find("[data-testid='impersonation-org']").TextContent.Should().Be("Greenfield Bakery");

        await sid.Support.EndImpersonationAsync();

        ShouldHaveLeft(banner, otherTab);
    }
}
