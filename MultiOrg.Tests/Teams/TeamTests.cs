using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Teams;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Teams;

/// <summary>Departments, teams, and the two scoped roles: exactly the permission table's rows, nothing at organization level.</summary>
public sealed class TeamTests : IAsyncLifetime
{
    private readonly TestWorld world = new();
    private Actor owner = null!;
    private Guid organizationId;
    private Guid sales;
    private Guid emea;
    private Guid engineering;
    private Guid emeaTeam;
    private Guid salesTeam;
    private Guid platformTeam;

    public async Task InitializeAsync()
    {
        (owner, organizationId) = await world.OrganizationAsync();
        await owner.Billing.ChangePlanAsync("team", null);
        sales = (await owner.Teams.CreateDepartmentAsync("Sales", null)).Id;
        emea = (await owner.Teams.CreateDepartmentAsync("EMEA", sales)).Id;
        engineering = (await owner.Teams.CreateDepartmentAsync("Engineering", null)).Id;
        emeaTeam = (await owner.Teams.CreateTeamAsync("EMEA accounts", emea)).Id;
        salesTeam = (await owner.Teams.CreateTeamAsync("Inside sales", sales)).Id;
        platformTeam = (await owner.Teams.CreateTeamAsync("Platform", engineering)).Id;
    }

    public Task DisposeAsync()
    {
        world.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void Scoped_roles_appear_only_in_team_scoped_rows_of_the_permission_table()
    {
        RolePermissions.Scoped.Keys.Should().BeSubsetOf(RolePermissions.TeamScoped);
        foreach (var permission in Enum.GetValues<Permission>().Where(p => !RolePermissions.TeamScoped.Contains(p)))
        {
            ScopedRole.TeamLeader.Allows(permission).Should().BeFalse($"{permission} is organization-level");
            ScopedRole.DepartmentAdmin.Allows(permission).Should().BeFalse($"{permission} is organization-level");
        }

        ScopedRole.TeamLeader.Allows(Permission.ManageTeamMembers).Should().BeTrue();
        ScopedRole.TeamLeader.Allows(Permission.NameTeamLeaders).Should().BeFalse();
        ScopedRole.TeamLeader.Allows(Permission.ManageTeams).Should().BeFalse();
        ScopedRole.DepartmentAdmin.Allows(Permission.ManageTeams).Should().BeTrue();
        ScopedRole.DepartmentAdmin.Allows(Permission.NameTeamLeaders).Should().BeTrue();
        ScopedRole.DepartmentAdmin.Allows(Permission.ManageTeamMembers).Should().BeTrue();
        OrganizationRole.Member.Allows(Permission.ManageTeamMembers).Should().BeFalse();
    }

    [Fact]
    public async Task Team_leader_manages_the_membership_of_their_team_only()
    {
        var leader = await world.JoinAsync(owner, organizationId, "Lea", OrganizationRole.Member);
        var ana = await world.JoinAsync(owner, organizationId, "Ana", OrganizationRole.Member);
        await owner.Teams.SetLeaderAsync(emeaTeam, leader.UserId, true);

        await leader.Teams.AddMemberAsync(emeaTeam, ana.UserId);
        (await leader.Teams.ListMembersAsync(emeaTeam)).Select(m => m.UserId).Should().BeEquivalentTo([leader.UserId, ana.UserId]);
        await leader.Teams.RemoveMemberAsync(emeaTeam, ana.UserId);

        await Refused(() => leader.Teams.AddMemberAsync(salesTeam, ana.UserId), "not their team");
        await Refused(() => leader.Teams.SetLeaderAsync(emeaTeam, ana.UserId, true), "leaders are named by department admins");
        await Refused(() => leader.Teams.RenameTeamAsync(emeaTeam, "Mine"), "teams are managed by department admins");
        await Refused(() => leader.Teams.CreateTeamAsync("New", emea), "teams are managed by department admins");
    }

    [Fact]
    public async Task Department_admin_manages_the_teams_below_their_department_and_names_their_leaders()
    {
        var admin = await world.JoinAsync(owner, organizationId, "Dora", OrganizationRole.Member);
        var ana = await world.JoinAsync(owner, organizationId, "Ana", OrganizationRole.Member);
        await owner.Teams.SetDepartmentAdminAsync(sales, admin.UserId, true);

        var created = await admin.Teams.CreateTeamAsync("Partners", emea);
        await admin.Teams.RenameTeamAsync(emeaTeam, "EMEA key accounts");
        await admin.Teams.SetLeaderAsync(created.Id, ana.UserId, true);
        await admin.Teams.AddMemberAsync(salesTeam, ana.UserId);
        await admin.Teams.MoveTeamAsync(created.Id, sales);
        await admin.Teams.DeleteTeamAsync(created.Id);

        var structure = await admin.Teams.GetStructureAsync();
        structure.Teams.Single(t => t.Id == emeaTeam).CanEdit.Should().BeTrue();
        structure.Teams.Single(t => t.Id == platformTeam).CanEdit.Should().BeFalse();
        structure.CanManageDepartments.Should().BeFalse();

        await Refused(() => admin.Teams.CreateTeamAsync("Infra", engineering), "another department");
        await Refused(() => admin.Teams.AddMemberAsync(platformTeam, ana.UserId), "another department");
        await Refused(() => admin.Teams.MoveTeamAsync(emeaTeam, engineering), "may not put a team into another department");
        await Refused(() => admin.Teams.CreateTeamAsync("Top", null), "top-level teams are organization-level");
        await Refused(() => admin.Teams.CreateDepartmentAsync("Sub", sales), "departments are organization-level");
        await Refused(() => admin.Teams.SetDepartmentAdminAsync(sales, ana.UserId, true), "department admins are named by owners and admins");
    }

    [Fact]
    public async Task Team_leader_and_department_admin_gain_nothing_at_organization_level()
    {
        var leader = await world.JoinAsync(owner, organizationId, "Lea", OrganizationRole.Member);
        var admin = await world.JoinAsync(owner, organizationId, "Dora", OrganizationRole.Member);
        var ana = await world.JoinAsync(owner, organizationId, "Ana", OrganizationRole.Member);
        await owner.Teams.SetLeaderAsync(emeaTeam, leader.UserId, true);
        await owner.Teams.SetDepartmentAdminAsync(sales, admin.UserId, true);

        foreach (var scoped in new[] { leader, admin })
        {
            await Refused(() => scoped.Members.ChangeRoleAsync(ana.UserId, OrganizationRole.Admin), "organization roles are OWNER-only");
            await Refused(() => scoped.Members.RemoveAsync(ana.UserId), "removing members is OWNER/ADMIN");
            await Refused(() => scoped.Members.AddByEmailAsync("someone@example.test"), "adding members is OWNER/ADMIN");
            await Refused(() => scoped.Organizations.UpdateAsync("Renamed"), "editing the organization is OWNER/ADMIN");
            await Refused(() => scoped.ApiKeys.CreateAsync("k", OrganizationRole.Member), "API keys are OWNER/ADMIN");
            await Refused(() => scoped.Teams.CreateDepartmentAsync("Mine", null), "departments are OWNER/ADMIN");
        }

        (await world.RolesAsync(organizationId))[ana.UserId].Should().Be(OrganizationRole.Member);
    }

    [Fact]
    public async Task A_member_can_be_in_many_teams_and_the_member_list_filters_by_team_and_department()
    {
        var ana = await world.JoinAsync(owner, organizationId, "Ana", OrganizationRole.Member);
        var ben = await world.JoinAsync(owner, organizationId, "Ben", OrganizationRole.Member);
        await owner.Teams.AddMemberAsync(emeaTeam, ana.UserId);
        await owner.Teams.AddMemberAsync(platformTeam, ana.UserId);
        await owner.Teams.SetLeaderAsync(salesTeam, ben.UserId, true);

        var all = await owner.Members.ListAsync(new MemberQuery());
        all.Items.Single(m => m.UserId == ana.UserId).Teams.Should().BeEquivalentTo(["EMEA accounts", "Platform"]);
        all.Items.Single(m => m.UserId == ana.UserId).Departments.Should().BeEquivalentTo(["EMEA", "Engineering"]);
        all.Items.Single(m => m.UserId == ben.UserId).Teams.Should().BeEquivalentTo(["Inside sales (leader)"]);

        (await owner.Members.ListAsync(new MemberQuery(TeamId: emeaTeam))).Items.Select(m => m.UserId).Should().BeEquivalentTo([ana.UserId]);
        (await owner.Members.ListAsync(new MemberQuery(DepartmentId: sales))).Items.Select(m => m.UserId)
            .Should().BeEquivalentTo([ana.UserId, ben.UserId], "EMEA is below Sales");
        (await owner.Members.ListAsync(new MemberQuery(DepartmentId: engineering))).Items.Select(m => m.UserId).Should().BeEquivalentTo([ana.UserId]);
    }

    [Fact]
    public async Task Deleting_a_department_moves_its_teams_and_departments_up()
    {
        await owner.Teams.DeleteDepartmentAsync(sales);

        var structure = await owner.Teams.GetStructureAsync();
        structure.Departments.Single(d => d.Id == emea).ParentId.Should().BeNull();
        structure.Teams.Single(t => t.Id == salesTeam).DepartmentId.Should().BeNull();
        structure.Teams.Should().HaveCount(3);
    }

    [Fact]
    public async Task Team_ids_and_people_of_another_organization_are_not_found()
    {
        var (other, otherId) = await world.OrganizationAsync("Globex", "Gus");
        var otherTeam = (await other.Teams.CreateTeamAsync("Globex team", null)).Id;
        var outsider = await world.JoinAsync(other, otherId, "Otto", OrganizationRole.Member);

        var error = await Assert.ThrowsAsync<DomainException>(() => owner.Teams.AddMemberAsync(otherTeam, owner.UserId));
        error.Kind.Should().Be(DomainErrorKind.NotFound);
        error = await Assert.ThrowsAsync<DomainException>(() => owner.Teams.AddMemberAsync(emeaTeam, outsider.UserId));
        error.Kind.Should().Be(DomainErrorKind.NotFound);
        var otherDepartment = (await other.Teams.CreateDepartmentAsync("D", null)).Id;
        error = await Assert.ThrowsAsync<DomainException>(() => owner.Teams.CreateTeamAsync("x", otherDepartment));
        error.Kind.Should().Be(DomainErrorKind.NotFound);
        (await other.Teams.ListMembersAsync(otherTeam)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_team_name_is_required_and_named_in_the_error()
    {
        var error = await Assert.ThrowsAsync<DomainException>(() => owner.Teams.CreateTeamAsync("  ", null));
        error.Field.Should().Be("name");
        error.Message.Should().Be("Team name is required.");
    }

    private static async Task Refused(Func<Task> act, string because)
    {
        var error = await Assert.ThrowsAsync<DomainException>(act);
        error.Kind.Should().Be(DomainErrorKind.Forbidden, because);
    }
}
