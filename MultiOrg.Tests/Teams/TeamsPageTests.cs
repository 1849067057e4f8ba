using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Tests.Harness;
using MultiOrg.Web.Features.Teams;

namespace MultiOrg.Tests.Teams;

/// <summary>
/// The teams page over a real database: what each role may create, edit and staff, the department filter, and the
/// structure and people dialogs. Sales (with Sales East inside it) holds Inside Sales and Field Sales; Engineering
/// holds Platform; Board sits directly in the organization. Dana administers Sales; Leo leads Platform.
/// </summary>
[Trait(TestDatabase.Trait, TestDatabase.Independent)]
public sealed class TeamsPageTests : ComponentTestBase
{
    private static readonly string[] AllTeams = ["Board", "Field Sales", "Inside Sales", "Platform"];

    private readonly TestWorld world = new();
    private Actor owner = null!;
    private Actor member = null!;
    private Actor departmentAdmin = null!;
    private Actor leader = null!;
    private Guid organizationId;

    public override async Task InitializeAsync()
    {
        (owner, organizationId) = await world.OrganizationAsync("Acme", "Olivia");
        member = await world.JoinAsync(owner, organizationId, "Mia", OrganizationRole.Member);
        departmentAdmin = await world.JoinAsync(owner, organizationId, "Dana", OrganizationRole.Member);
        leader = await world.JoinAsync(owner, organizationId, "Leo", OrganizationRole.Member);

        var sales = await owner.Teams.CreateDepartmentAsync("Sales", null);
        var east = await owner.Teams.CreateDepartmentAsync("Sales East", sales.Id);
        var engineering = await owner.Teams.CreateDepartmentAsync("Engineering", null);
        await owner.Teams.CreateTeamAsync("Inside Sales", sales.Id);
        await owner.Teams.CreateTeamAsync("Field Sales", east.Id);
        var platform = await owner.Teams.CreateTeamAsync("Platform", engineering.Id);
        await owner.Teams.CreateTeamAsync("Board", null);
        await owner.Teams.SetDepartmentAdminAsync(sales.Id, departmentAdmin.UserId, true);
        await owner.Teams.AddMemberAsync(platform.Id, leader.UserId);
        await owner.Teams.SetLeaderAsync(platform.Id, leader.UserId, true);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        world.Dispose();
    }

    private IRenderedComponent<TeamsPage> RenderAs(Actor actor)
    {
        Context.Services.AddSingleton<TenantContext>(actor.Tenant);
        Context.Services.AddSingleton(actor.Teams);
        Context.Services.AddSingleton<MemberService>(actor.Members);
        RenderProviders();
        var cut = Context.Render<TeamsPage>(p => p.Add(x => x.OrgId, organizationId));
        cut.WaitForAssertion(() => cut.FindAll("[data-testid='team-name']").Should().HaveCount(4), Loaded);
        return cut;
    }

    private static IEnumerable<string> TeamNames(IRenderedComponent<TeamsPage> cut) =>
        cut.FindAll("[data-testid='team-name']").Select(t => t.TextContent.Trim());

    /// <summary>The team names whose row offers the control <paramref name="testId"/>.</summary>
    private static IEnumerable<string> TeamsWith(IRenderedComponent<TeamsPage> cut, string testId) =>
        cut.FindAll("[data-testid='teams-grid'] tbody tr")
            .Where(r => r.QuerySelector($"[data-testid='{testId}']") is not null)
            .Select(r => r.QuerySelector("[data-testid='team-name']")!.TextContent.Trim());

    private static void OpenTeam(IRenderedComponent<TeamsPage> cut, string team) =>
        cut.Find($"[data-testid='team-members'][aria-label='Members of {team}']").Click();

    [Fact]
    public void An_owner_creates_departments_and_teams_and_edits_every_team()
    {
        var cut = RenderAs(owner);

        cut.FindAll("[data-testid='new-department']").Should().ContainSingle();
        cut.FindAll("[data-testid='new-team']").Should().ContainSingle();
        cut.FindAll("[data-testid='department-menu']").Should().HaveCount(3);
        TeamsWith(cut, "team-edit").Should().BeEquivalentTo(AllTeams);
        TeamsWith(cut, "team-delete").Should().BeEquivalentTo(AllTeams);
        cut.Find("h1").Parent!.TextContent.Should().Contain("Acme · 4 teams · 3 departments");
    }

    [Fact]
    public void A_member_sees_every_team_but_no_create_edit_or_delete_control()
    {
        var cut = RenderAs(member);

        TeamNames(cut).Should().Equal(AllTeams);
        cut.FindAll("[data-testid='new-department']").Should().BeEmpty();
        cut.FindAll("[data-testid='new-team']").Should().BeEmpty();
        cut.FindAll("[data-testid='department-menu']").Should().BeEmpty();
        cut.FindAll("[data-testid='team-edit']").Should().BeEmpty();
        cut.FindAll("[data-testid='team-delete']").Should().BeEmpty();
        TeamsWith(cut, "team-members").Should().BeEquivalentTo(AllTeams, "everyone may look at who is in a team");
    }

    [Fact]
    public void A_department_admin_creates_teams_and_edits_only_the_teams_under_their_department()
    {
        var cut = RenderAs(departmentAdmin);

        cut.FindAll("[data-testid='new-team']").Should().ContainSingle();
        cut.FindAll("[data-testid='new-department']").Should().BeEmpty("departments are the owners' and admins'");
        cut.FindAll("[data-testid='department-menu']").Should().BeEmpty();
        TeamsWith(cut, "team-edit").Should().BeEquivalentTo(["Field Sales", "Inside Sales"], "Sales East sits inside Sales");
        TeamsWith(cut, "team-delete").Should().BeEquivalentTo(["Field Sales", "Inside Sales"]);
    }

    [Fact]
    public void A_team_leader_staffs_their_team_but_names_no_leader()
    {
        var cut = RenderAs(leader);

        OpenTeam(cut, "Platform");

        Dialogs.WaitForAssertion(() => Dialogs.FindAll("[data-testid='people-row']").Should().ContainSingle(), Loaded);
        Dialogs.FindAll("[data-testid='people-add']").Should().ContainSingle();
        Dialogs.FindAll("[data-testid='people-remove']").Should().ContainSingle();
        Dialogs.Find("input[data-testid='people-leader']").HasAttribute("disabled").Should().BeTrue("only owners, admins and department admins name leaders");
    }

    [Fact]
    public void A_team_leader_cannot_staff_a_team_they_do_not_lead()
    {
        var cut = RenderAs(leader);

        OpenTeam(cut, "Board");

        Dialogs.WaitForElement("[data-testid='people-empty']", Loaded).TextContent.Should().Contain("Nobody in this team yet.");
        Dialogs.FindAll("[data-testid='people-add']").Should().BeEmpty();
    }

    [Fact]
    public void Choosing_a_department_lists_its_teams_and_those_of_the_departments_inside_it()
    {
        var cut = RenderAs(owner);

        cut.FindAll("[data-testid='department-row']").Single(r => r.TextContent.Contains("Sales", StringComparison.Ordinal)
            && !r.TextContent.Contains("East", StringComparison.Ordinal)).Click();

        cut.WaitForAssertion(() => TeamNames(cut).Should().Equal("Field Sales", "Inside Sales"), Loaded);
        cut.Markup.Should().Contain("In Sales");
    }

    [Fact]
    public void Searching_matches_a_team_by_its_name_or_its_department()
    {
        var cut = RenderAs(owner);

        cut.Find("input[data-testid='teams-search']").Input("engineering");
        cut.WaitForAssertion(() => TeamNames(cut).Should().Equal("Platform"), Loaded);

        cut.Find("input[data-testid='teams-search']").Input("nothing like it");
        cut.WaitForAssertion(() => cut.Find("[data-testid='teams-empty']").TextContent.Should().Contain("No team matches."), Loaded);
    }

    [Fact]
    public async Task A_team_without_a_name_is_refused_in_the_form_which_stays_open()
    {
        var cut = RenderAs(owner);

        cut.Find("[data-testid='new-team']").Click();
        Dialogs.WaitForElement("form#structure-form", Loaded).Submit();

        Dialogs.WaitForAssertion(() => Dialogs.Find("[data-testid='structure-dialog']").TextContent.Should().Contain("Team name"), Loaded);
        (await owner.Teams.GetStructureAsync()).Teams.Should().HaveCount(4);
    }

    [Fact]
    public void A_new_team_made_in_the_dialog_appears_in_the_list_with_a_confirmation()
    {
        var cut = RenderAs(owner);

        cut.Find("[data-testid='new-team']").Click();
        Dialogs.WaitForElement("input[data-testid='structure-name']", Loaded).Input("Growth");
        Dialogs.Find("form#structure-form").Submit();

        cut.WaitForAssertion(() => TeamNames(cut).Should().Contain("Growth"), Loaded);
        Snackbars.WaitForAssertion(() => Snackbars.Markup.Should().Contain("Team Growth created."), Loaded);
        Dialogs.FindAll("[data-testid='structure-dialog']").Should().BeEmpty();
    }

    [Fact]
    public async Task Deleting_a_team_asks_first_and_keeps_its_members_in_the_organization()
    {
        var cut = RenderAs(owner);

        cut.Find("[aria-label='Delete Platform']").Click();
        Dialogs.WaitForAssertion(() => Dialogs.Markup.Should().Contain("Its 1 member(s) stay in the organization"), Loaded);
        (await owner.Teams.GetStructureAsync()).Teams.Should().HaveCount(4, "nothing is deleted before the confirmation");
        AnswerMessageBox("Delete team");

        cut.WaitForAssertion(() => TeamNames(cut).Should().Equal("Board", "Field Sales", "Inside Sales"), Loaded);
        (await world.RolesAsync(organizationId)).Should().ContainKey(leader.UserId);
    }
}
