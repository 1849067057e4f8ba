using Bunit;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using MultiOrg.Domain.Organizations;
using MultiOrg.Tests.Harness;
using MultiOrg.Web.Shell;

namespace MultiOrg.Tests.Shell;

[Trait(TestDatabase.Trait, TestDatabase.Independent)]
public sealed class OrganizationSwitcherTests : ComponentTestBase
{
    private static OrganizationSummary Org(string name, OrganizationRole role = OrganizationRole.Member) => new(Guid.NewGuid(), name, role);

    private IRenderedComponent<IComponent> RenderSwitcher(IReadOnlyList<OrganizationSummary> organizations, Guid? current, Action<Guid>? onSwitch = null) =>
        Context.Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<OrganizationSwitcher>(1);
            builder.AddAttribute(2, nameof(OrganizationSwitcher.Organizations), organizations);
            builder.AddAttribute(3, nameof(OrganizationSwitcher.CurrentId), current);
            builder.AddAttribute(4, nameof(OrganizationSwitcher.OnSwitch), EventCallback.Factory.Create<Guid>(this, id => onSwitch?.Invoke(id)));
            builder.CloseComponent();
        });

    [Fact]
    public void A_single_organization_shows_its_name_and_nothing_to_choose()
    {
        var only = Org("Solo Studio", OrganizationRole.Owner);

        var cut = RenderSwitcher([only], only.Id);

        cut.Find("[data-testid='org-switcher-single']").TextContent.Should().Contain("Solo Studio");
        cut.FindAll("[data-testid='org-switcher-button']").Should().BeEmpty();
    }

    [Fact]
    public void Two_or_more_list_alphabetically_with_a_check_mark_on_the_current_one_and_create_at_the_bottom()
    {
        var zeta = Org("zeta works");
        var acme = Org("Acme Corp", OrganizationRole.Owner);
        var beta = Org("Beta LLC", OrganizationRole.Admin);

        var cut = RenderSwitcher([zeta, acme, beta], beta.Id);
        cut.Find("[data-testid='org-switcher-button']").TextContent.Should().Contain("Beta LLC");
        cut.Find("[data-testid='org-switcher-button'] button").Click();

        var items = cut.FindAll("[data-testid='org-switcher-item']");
        items.Select(i => i.TextContent).Should().SatisfyRespectively(
            first => first.Should().Contain("Acme Corp").And.Contain("OWNER"),
            second => second.Should().Contain("Beta LLC").And.Contain("ADMIN"),
            third => third.Should().Contain("zeta works").And.Contain("MEMBER"));
        items.Select(i => i.GetAttribute("data-current")).Should().Equal("false", "true", "false");
        cut.FindAll("[data-testid='org-switcher-check']").Should().ContainSingle();
        cut.Find("[data-testid='org-switcher-create']").TextContent.Should().Contain("Create new organization");
    }

    [Fact]
    public void Partners_come_first_with_a_crown_and_a_partner_badge_then_everything_else_alphabetically()
    {
        var apple = Org("Apple Client", OrganizationRole.Admin) with { PartnerId = Guid.NewGuid(), ViaPartner = true };
        var zed = Org("Zed Partners", OrganizationRole.Owner) with { Kind = OrganizationKind.Partner };
        var mid = Org("Mid Standard");

        var cut = RenderSwitcher([apple, mid, zed], apple.Id);
        cut.Find("[data-testid='org-switcher-button'] button").Click();

        var items = cut.FindAll("[data-testid='org-switcher-item']");
        items.Select(i => i.TextContent).Should().SatisfyRespectively(
            first => first.Should().Contain("Zed Partners").And.Contain("Partner"),
            second => second.Should().Contain("Apple Client").And.NotContain("Partner"),
            third => third.Should().Contain("Mid Standard"));
        cut.FindAll("[data-testid='org-switcher-crown']").Should().ContainSingle();
        cut.FindAll("[data-testid='org-switcher-partner-badge']").Should().ContainSingle();
        items.Select(i => i.QuerySelectorAll("[data-testid='org-switcher-crown']").Length).Should().Equal(1, 0, 0);
    }

    [Fact]
    public void Choosing_an_organization_reports_its_id()
    {
        var acme = Org("Acme Corp");
        var beta = Org("Beta LLC");
        Guid? chosen = null;

        var cut = RenderSwitcher([acme, beta], acme.Id, id => chosen = id);
        cut.Find("[data-testid='org-switcher-button'] button").Click();
        cut.FindAll("[data-testid='org-switcher-item']")[1].Click();

        cut.WaitForAssertion(() => chosen.Should().Be(beta.Id));
    }

    [Fact]
    public void A_short_list_has_no_search_box()
    {
        var few = Enumerable.Range(1, OrganizationSwitcher.SearchThreshold).Select(i => Org($"Client {i:000}")).ToList();

        var cut = RenderSwitcher(few, few[0].Id);
        cut.Find("[data-testid='org-switcher-button'] button").Click();

        cut.FindAll("[data-testid='org-switcher-item']").Should().HaveCount(few.Count);
        cut.FindAll("input[data-testid='org-switcher-search']").Should().BeEmpty();
    }

    [Fact]
    public void A_long_list_shows_the_first_matches_and_a_search_box_that_filters()
    {
        var many = Enumerable.Range(1, 300).Select(i => Org($"Client {i:000}")).Append(Org("Northwind")).ToList();
        var cut = RenderSwitcher(many, many[0].Id);
        cut.Find("[data-testid='org-switcher-button'] button").Click();

        cut.FindAll("[data-testid='org-switcher-item']").Should().HaveCount(OrganizationSwitcher.MaxVisible, "long lists render only the first matches");
        cut.Find("input[data-testid='org-switcher-search']").Input("north");
        cut.WaitForAssertion(() => cut.FindAll("[data-testid='org-switcher-item']").Select(i => i.TextContent)
            .Should().ContainSingle().Which.Should().Contain("Northwind"));
    }

    [Fact]
    public void The_switcher_is_one_menu_button_whose_name_starts_with_the_organization_it_shows()
    {
        var acme = Org("Acme Corp");
        var beta = Org("Beta LLC");

        var cut = RenderSwitcher([acme, beta], beta.Id);

        // axe: no role=button element around a <button> (nested-interactive); the name holds the visible text (label-in-name).
        cut.FindAll("[role='button']").Should().BeEmpty();
        var button = cut.Find("[data-testid='org-switcher-button'] button");
        cut.FindAll("[data-testid='org-switcher-button'] button").Should().ContainSingle();
        button.GetAttribute("aria-haspopup").Should().Be("menu");
        button.GetAttribute("aria-expanded").Should().Be("false");
        button.TextContent.Trim().Should().Be("Beta LLC");
        button.GetAttribute("aria-label").Should().StartWith("Beta LLC").And.Contain("switch organization");
    }

    [Fact]
    public void Two_thousand_organizations_render_fifty_rows_and_the_search_reaches_any_of_them()
    {
        var clients = Enumerable.Range(1, 2000).Select(i => Org($"Client {i:0000}")).ToList();
        var cut = RenderSwitcher(clients, clients[0].Id);
        cut.Find("[data-testid='org-switcher-button'] button").Click();

        cut.FindAll("[data-testid='org-switcher-item']").Should().HaveCount(OrganizationSwitcher.MaxVisible);
        cut.Find("input[data-testid='org-switcher-search']").Input("1999");

        cut.WaitForAssertion(() => cut.FindAll("[data-testid='org-switcher-item']").Select(i => i.GetAttribute("data-name"))
            .Should().Equal("Client 1999"));
    }
}
