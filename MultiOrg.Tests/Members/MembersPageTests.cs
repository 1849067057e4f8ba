using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Tests.Harness;
using MultiOrg.Web.Features.Members;
using MultiOrg.Web.Shell;

namespace MultiOrg.Tests.Members;

/// <summary>The members page over a real database: each role sees only the buttons its permissions allow.</summary>
[Trait(TestDatabase.Trait, TestDatabase.Independent)]
public sealed class MembersPageTests : ComponentTestBase
{
    private readonly TestWorld world = new();
    private Actor owner = null!;
    private Actor admin = null!;
    private Actor member = null!;
    private Guid organizationId;

    public override async Task InitializeAsync()
    {
        owner = await world.CreateUserAsync("Olivia");
        admin = await world.CreateUserAsync("Adam");
        member = await world.CreateUserAsync("Mia");
        organizationId = (await owner.Organizations.CreateAsync("Acme")).Id;
        await owner.Members.AddByEmailAsync(admin.Email, OrganizationRole.Admin);
        await owner.Members.AddByEmailAsync(member.Email);
        await admin.Organizations.EnterAsync(organizationId);
        await member.Organizations.EnterAsync(organizationId);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        world.Dispose();
    }

    private IRenderedComponent<MudPopoverProvider> popovers = null!;
    private IRenderedComponent<MudDialogProvider> dialogs = null!;

    private IRenderedComponent<MembersPage> RenderAs(Actor actor)
    {
        Context.Services.AddSingleton<TenantContext>(actor.Tenant);
        Context.Services.AddSingleton<MemberService>(actor.Members);
        Context.Services.AddSingleton(actor.Sessions);
        Context.Services.AddSingleton(actor.Teams);
        Context.Services.AddSingleton(new UserOrganizations(actor.Organizations));
        var invitations = new InvitationWorld(world, actor);
        Context.Services.AddSingleton(invitations.Invitations);
        Context.Services.AddSingleton(invitations.Joining);
        Context.Services.AddSingleton(TimeProvider.System);
        Context.Services.AddSingleton(new MultiOrg.Web.Features.FeatureSwitches.FeatureState(actor.Features, actor.Tenant));
        popovers = Context.Render<MudPopoverProvider>();
        dialogs = Context.Render<MudDialogProvider>();
        var cut = Context.Render<MembersPage>(p => p.Add(x => x.OrgId, organizationId));
        cut.WaitForAssertion(() => cut.FindAll("[data-testid='member-name']").Should().HaveCount(3), TimeSpan.FromSeconds(10));
        return cut;
    }

    [Fact]
    public async Task Removing_a_member_who_owns_an_api_key_asks_first_and_revokes_it_with_the_removal()
    {
        await admin.ApiKeys.CreateAsync("Adam's sync", OrganizationRole.Admin);
        var cut = RenderAs(owner);

        cut.FindAll("tr").Single(r => r.TextContent.Contains("Adam", StringComparison.Ordinal))
            .QuerySelector("[data-testid='remove-member']")!.Click();
        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid='owned-items']").TextContent.Should().Contain("Adam's sync"), TimeSpan.FromSeconds(10));
        (await world.RolesAsync(organizationId)).Should().ContainKey(admin.UserId, "nothing happens before the confirmation");
        dialogs.Find("[data-testid='remove-member-confirm']").Click();

        cut.WaitForAssertion(() => cut.FindAll("[data-testid='member-name']").Should().HaveCount(2), TimeSpan.FromSeconds(10));
        (await owner.ApiKeys.ListAsync()).Single().RevokedAt.Should().BeCloseTo(DateTime.UtcNow, TimeSpan.FromMinutes(1), "the removal revoked the key just now");
    }

    [Fact]
    public void An_owner_adds_changes_roles_and_removes_everyone_but_themself()
    {
        var cut = RenderAs(owner);

        cut.FindAll("[data-testid='add-member']").Should().ContainSingle();
        cut.FindAll("[data-testid='member-role-select']").Should().HaveCount(3);
        cut.FindAll("[data-testid='remove-member']").Should().HaveCount(2);
        cut.FindAll("[data-testid='leave-org']").Should().ContainSingle();
        cut.Markup.Should().Contain("3 members");
    }

    [Fact]
    public void An_admin_adds_and_removes_members_but_changes_no_role_and_removes_no_owner()
    {
        var cut = RenderAs(admin);

        cut.FindAll("[data-testid='add-member']").Should().ContainSingle();
        cut.FindAll("[data-testid='member-role-select']").Should().BeEmpty();
        cut.FindAll("[data-testid='member-role']").Select(r => r.TextContent.Trim()).Should().BeEquivalentTo("OWNER", "ADMIN", "MEMBER");
        cut.FindAll("[data-testid='remove-member']").Should().ContainSingle("only the plain member can be removed by an admin");
    }

    [Fact]
    public void A_member_sees_the_list_and_can_only_leave()
    {
        var cut = RenderAs(member);

        cut.FindAll("[data-testid='add-member']").Should().BeEmpty();
        cut.FindAll("[data-testid='member-role-select']").Should().BeEmpty();
        cut.FindAll("[data-testid='remove-member']").Should().BeEmpty();
        cut.FindAll("[data-testid='leave-org']").Should().ContainSingle();
    }

    [Fact]
    public void Searching_narrows_the_list_on_the_server()
    {
        var cut = RenderAs(owner);

        cut.Find("input[data-testid='members-search']").Input("adam");

        cut.WaitForAssertion(() => cut.FindAll("[data-testid='member-name']").Select(n => n.TextContent.Trim())
            .Should().ContainSingle().Which.Should().StartWith("Adam"), TimeSpan.FromSeconds(10));
    }

    /// <summary>Ticks the row's checkbox, found by its accessible name as a screen reader announces it.</summary>
    private static void Select(IRenderedComponent<MembersPage> cut, string name)
    {
        var labelId = cut.FindAll("span.mud-sr-only").Single(l => l.TextContent == $"Select {name}").Id;
        cut.Find($"input[aria-labelledby='{labelId}']").Change(true);

        // The page re-renders when the selection reaches it; on a server database its loads finish after the first
        // render, so that re-render may come a moment later.
        cut.WaitForElement("[data-testid='bulk-bar']", TimeSpan.FromSeconds(10));
    }

    private Task<Dictionary<string, OrganizationRole>> RolesAsync() => world.RolesAsync(organizationId);

    [Fact]
    public async Task An_owner_selects_two_members_changes_their_role_after_confirming_and_sees_the_outcome()
    {
        var cut = RenderAs(owner);

        Select(cut, "Adam");
        Select(cut, "Mia");
        cut.Find("[data-testid='bulk-count']").TextContent.Should().Be("2 members selected");
        cut.Find("[data-testid='bulk-change-role']").Click();
        popovers.WaitForElement("[data-testid='bulk-role-ADMIN']").Click();

        dialogs.WaitForElement("[data-testid='bulk-confirm-message']").TextContent.Should()
            .Be("2 members will become ADMIN: they use the organization's data and manage its settings and members.");
        dialogs.FindAll("[data-testid='bulk-confirm-people'] .mud-list-item").Select(i => i.TextContent).Should()
            .SatisfyRespectively(adam => adam.Should().Contain("Adam").And.Contain("ADMIN"), mia => mia.Should().Contain("Mia").And.Contain("MEMBER"));
        (await RolesAsync())[member.UserId].Should().Be(OrganizationRole.Member, "nothing changes before the confirmation");
        dialogs.Find("[data-testid='bulk-confirm']").Click();

        cut.WaitForAssertion(() => cut.Find("[data-testid='bulk-result-summary']").TextContent.Should()
            .Be("1 member is now ADMIN. 1 member already ADMIN."), TimeSpan.FromSeconds(10));
        cut.FindAll("[data-testid='bulk-bar']").Should().BeEmpty("the selection is cleared once applied");
        var roles = await RolesAsync();
        roles[member.UserId].Should().Be(OrganizationRole.Admin);
        roles[admin.UserId].Should().Be(OrganizationRole.Admin);
        roles[owner.UserId].Should().Be(OrganizationRole.Owner);
    }

    [Fact]
    public void Each_sort_button_says_which_column_it_sorts_and_sorting_says_the_direction()
    {
        var cut = RenderAs(owner);

        cut.FindAll("th button").Select(b => b.GetAttribute("aria-label")).Where(l => l?.StartsWith("Sort", StringComparison.Ordinal) == true)
            .Should().Equal("Sort by member", "Sort by role", "Sort by joined");

        cut.Find("[data-testid='sort-Name']").Click();
        cut.WaitForAssertion(() => cut.Find("[data-testid='sort-Name']").GetAttribute("aria-description").Should().Be("sorted ascending"));
        cut.WaitForAssertion(() => cut.FindAll("[data-testid='member-name']").Select(n => n.TextContent.Trim()).Should().Equal("Adam", "Mia", "Olivia"));
        cut.Find("[data-testid='sort-Name']").Click();
        cut.WaitForAssertion(() => cut.FindAll("[data-testid='member-name']").Select(n => n.TextContent.Trim()).Should().Equal("Olivia", "Mia", "Adam"));
        cut.Find("[data-testid='sort-Name']").GetAttribute("aria-description").Should().Be("sorted descending");
        cut.Find("[data-testid='sort-Role']").GetAttribute("aria-description").Should().Be("not sorted");
    }

    [Fact]
    public void The_count_of_selected_members_is_announced_in_a_polite_live_region()
    {
        var cut = RenderAs(owner);
        var status = () => cut.Find("[data-testid='selection-status']");
        status().GetAttribute("role").Should().Be("status", "a status region is polite: read when the person pauses");
        status().TextContent.Should().BeEmpty();

        Select(cut, "Adam");
        Select(cut, "Mia");

        status().TextContent.Should().Be("2 members selected");
    }

    [Fact]
    public async Task Cancelling_the_bulk_confirmation_changes_nothing_and_keeps_the_selection()
    {
        var cut = RenderAs(owner);

        Select(cut, "Mia");
        cut.Find("[data-testid='bulk-remove']").Click();
        dialogs.WaitForElement("[data-testid='bulk-confirm-message']").TextContent.Should()
            .Be("1 member will lose access to Acme at once. An owner or admin must add them again to bring them back.");
        dialogs.Find("[data-testid='bulk-cancel']").Click();

        cut.WaitForAssertion(() => dialogs.FindAll("[data-testid='bulk-confirm-dialog']").Should().BeEmpty());
        cut.Find("[data-testid='bulk-count']").TextContent.Should().Be("1 member selected");
        (await RolesAsync()).Should().ContainKey(member.UserId);
    }

    [Fact]
    public async Task An_admin_bulk_removes_and_is_told_by_name_that_the_owner_stays()
    {
        var cut = RenderAs(admin);

        Select(cut, "Olivia");
        Select(cut, "Mia");
        cut.FindAll("[data-testid='bulk-change-role']").Should().BeEmpty("only owners change roles");
        cut.Find("[data-testid='bulk-remove']").Click();
        dialogs.WaitForElement("[data-testid='bulk-confirm-warning']").TextContent.Should()
            .Be("Only an owner can remove an owner: the 1 member with the role OWNER will stay.");
        dialogs.Find("[data-testid='bulk-confirm']").Click();

        cut.WaitForAssertion(() => cut.Find("[data-testid='bulk-result-summary']").TextContent.Should()
            .Be("1 member removed. 1 member not removed:"), TimeSpan.FromSeconds(10));
        cut.FindAll("[data-testid='bulk-result-refusal']").Select(r => r.TextContent).Should()
            .Equal($"{owner.Email}: Only an owner can remove an owner.");
        (await RolesAsync()).Keys.Should().BeEquivalentTo([owner.UserId, admin.UserId]);
    }

    [Fact]
    public void A_member_has_no_selection_and_can_export()
    {
        var cut = RenderAs(member);

        cut.FindAll("input[type='checkbox']").Should().BeEmpty();
        cut.FindAll("[data-testid='export-members']").Should().ContainSingle();
    }
}
