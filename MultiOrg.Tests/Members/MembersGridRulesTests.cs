using Bunit;
using MultiOrg.Domain.Organizations;
using MultiOrg.Tests.Harness;
using MultiOrg.Web.Features.Members;

namespace MultiOrg.Tests.Members;

/// <summary>
/// The members grid's rules about owners, over a real database: Acme has two owners (Olivia, Otto), an admin (Adam) and
/// a member (Mia). Only an owner acts on an owner, and an owner who gives up ownership is asked first.
/// </summary>
[Trait(TestDatabase.Trait, TestDatabase.Independent)]
public sealed class MembersGridRulesTests : ComponentTestBase
{
    private readonly TestWorld world = new();
    private Actor owner = null!;
    private Actor admin = null!;
    private Actor member = null!;
    private Guid organizationId;

    public override async Task InitializeAsync()
    {
        (owner, organizationId) = await world.OrganizationAsync("Acme", "Olivia");
        await world.JoinAsync(owner, organizationId, "Otto", OrganizationRole.Owner);
        admin = await world.JoinAsync(owner, organizationId, "Adam", OrganizationRole.Admin);
        member = await world.JoinAsync(owner, organizationId, "Mia", OrganizationRole.Member);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        world.Dispose();
    }

    private IRenderedComponent<MembersPage> RenderAs(Actor actor)
    {
        ServeMembersPage(world, actor);
        RenderProviders();
        var cut = Context.Render<MembersPage>(p => p.Add(x => x.OrgId, organizationId));
        cut.WaitForAssertion(() => cut.FindAll("[data-testid='member-name']").Should().HaveCount(4), Loaded);
        return cut;
    }

    /// <summary>The names of the people whose row offers the control <paramref name="testId"/>.</summary>
    private static IEnumerable<string> RowsWith(IRenderedComponent<MembersPage> cut, string testId) =>
        cut.FindAll("tr").Where(r => r.QuerySelector($"[data-testid='{testId}']") is not null)
            .Select(r => r.QuerySelector("[data-testid='member-name']")!.TextContent.Trim().Split(' ')[0]);

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<MembersPage> cut, string name) =>
        cut.FindAll("tr").Single(r => r.QuerySelector("[data-testid='member-name']")?.TextContent.Contains(name, StringComparison.Ordinal) == true);

    /// <summary>Opens the row's role choice and picks <paramref name="role"/> from its list.</summary>
    private void PickRole(IRenderedComponent<MembersPage> cut, string name, string role)
    {
        // Found and clicked on the renderer's own thread: the grid may render again in between (a slower database
        // finishes loading later), which would leave the found element's handler stale.
        cut.InvokeAsync(() => Row(cut, name).QuerySelector("[data-testid='member-role-select']")!.Click()).GetAwaiter().GetResult();
        Popovers.WaitForAssertion(() => Popovers.FindAll(".mud-list-item").Select(i => i.TextContent.Trim()).Should().Contain(role), Loaded);
        cut.InvokeAsync(() => Popovers.FindAll(".mud-list-item").First(i => i.TextContent.Trim() == role).Click()).GetAwaiter().GetResult();
    }

    [Fact]
    public void Member_sees_no_remove_button_on_an_owner_or_anyone_else()
    {
        var cut = RenderAs(member);

        RowsWith(cut, "remove-member").Should().BeEmpty();
        RowsWith(cut, "member-role-select").Should().BeEmpty();
    }

    [Fact]
    public void Admin_sees_no_remove_button_on_either_owner()
    {
        var cut = RenderAs(admin);

        RowsWith(cut, "remove-member").Should().Equal("Mia");
    }

    [Fact]
    public void Owner_may_remove_the_other_owner_and_everyone_else_but_not_themself()
    {
        var cut = RenderAs(owner);

        RowsWith(cut, "remove-member").Should().BeEquivalentTo("Otto", "Adam", "Mia");
        RowsWith(cut, "member-role-select").Should().HaveCount(4);
    }

    [Fact]
    public async Task Owner_changes_a_members_role_in_the_grid_and_is_told_it_is_done()
    {
        var cut = RenderAs(owner);

        PickRole(cut, "Mia", "ADMIN");

        Snackbars.WaitForAssertion(() => Snackbars.Markup.Should().Contain("is now ADMIN."), Loaded);
        (await world.RolesAsync(organizationId))[member.UserId].Should().Be(OrganizationRole.Admin);
    }

    [Fact]
    public async Task Owner_lowering_their_own_role_is_asked_to_give_up_ownership_and_cancelling_keeps_it()
    {
        var cut = RenderAs(owner);

        PickRole(cut, "Olivia", "MEMBER");
        Dialogs.WaitForAssertion(() => Dialogs.Markup.Should().Contain("You will become MEMBER and can no longer change roles or delete the organization."), Loaded);
        AnswerMessageBox("Cancel");

        cut.WaitForAssertion(() => Dialogs.FindAll(".mud-dialog").Should().BeEmpty(), Loaded);
        (await world.RolesAsync(organizationId))[owner.UserId].Should().Be(OrganizationRole.Owner);
    }
}
