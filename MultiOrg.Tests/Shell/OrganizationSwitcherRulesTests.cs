using Bunit;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using MultiOrg.Domain.Organizations;
using MultiOrg.Tests.Harness;
using MultiOrg.Web.Shell;

namespace MultiOrg.Tests.Shell;

/// <summary>What the switcher says when the list is cut short, when a search finds nothing, and before any organization is current.</summary>
[Trait(TestDatabase.Trait, TestDatabase.Independent)]
public sealed class OrganizationSwitcherRulesTests : ComponentTestBase
{
    private static List<OrganizationSummary> Clients(int count) =>
        [.. Enumerable.Range(1, count).Select(i => new OrganizationSummary(Guid.NewGuid(), $"Client {i:000}", OrganizationRole.Member))];

    private IRenderedComponent<IComponent> Open(IReadOnlyList<OrganizationSummary> organizations, Guid? current)
    {
        var cut = Context.Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<OrganizationSwitcher>(1);
            builder.AddAttribute(2, nameof(OrganizationSwitcher.Organizations), organizations);
            builder.AddAttribute(3, nameof(OrganizationSwitcher.CurrentId), current);
            builder.CloseComponent();
        });
        cut.Find("[data-testid='org-switcher-button'] button").Click();
        return cut;
    }

    [Fact]
    public void A_list_cut_short_says_how_many_are_shown_of_how_many()
    {
        var many = Clients(OrganizationSwitcher.MaxVisible + 11);

        var cut = Open(many, many[0].Id);

        cut.FindAll("[data-testid='org-switcher-item']").Should().HaveCount(OrganizationSwitcher.MaxVisible);
        Squash(cut.Markup).Should().Contain($"Showing {OrganizationSwitcher.MaxVisible} of {many.Count}. Type to narrow the list.");
    }

    [Fact]
    public void A_search_that_finds_nothing_says_so_and_still_offers_to_create_one()
    {
        var many = Clients(OrganizationSwitcher.SearchThreshold + 1);
        var cut = Open(many, many[0].Id);

        cut.Find("input[data-testid='org-switcher-search']").Input("northwind");

        cut.WaitForAssertion(() => cut.FindAll("[data-testid='org-switcher-item']").Should().BeEmpty(), Loaded);
        Squash(cut.Markup).Should().Contain("No organization matches “northwind”.");
        cut.FindAll("[data-testid='org-switcher-create']").Should().ContainSingle();
    }

    [Fact]
    public void With_no_current_organization_the_switcher_asks_to_choose_one_and_checks_none()
    {
        var two = Clients(2);

        var cut = Open(two, null);

        cut.Find("[data-testid='org-switcher-button']").TextContent.Should().Contain("Choose organization");
        cut.FindAll("[data-testid='org-switcher-check']").Should().BeEmpty();
        cut.FindAll("[data-testid='org-switcher-item']").Select(i => i.GetAttribute("data-current")).Should().Equal("false", "false");
    }
}
