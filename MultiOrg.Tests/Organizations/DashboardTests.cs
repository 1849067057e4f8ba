using MultiOrg.Domain.Organizations;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Organizations;

/// <summary>The organization dashboard's figures and their CSV, each from the current organization only.</summary>
public sealed class DashboardTests : IDisposable
{
    private readonly TestWorld world = new();

    public void Dispose() => world.Dispose();

    [Fact]
    public async Task Dashboard_counts_members_by_role_and_team_in_this_organization_only()
    {
        var (owner, organizationId) = await world.OrganizationAsync();
        var ana = await world.JoinAsync(owner, organizationId, "Ana", OrganizationRole.Admin);
        var ben = await world.JoinAsync(owner, organizationId, "Ben", OrganizationRole.Member);
        var ops = await owner.Teams.CreateTeamAsync("Ops", null);
        await owner.Teams.CreateTeamAsync("Empty", null);
        await owner.Teams.AddMemberAsync(ops.Id, ana.UserId);
        await owner.Teams.AddMemberAsync(ops.Id, ben.UserId);
        await ben.Organizations.SwitchAsync(organizationId);
        var (other, otherId) = await world.OrganizationAsync("Globex", "Gus");
        await world.JoinAsync(other, otherId, "Otto", OrganizationRole.Member);
        await other.Teams.CreateTeamAsync("Globex team", null);

        var dashboard = await owner.Dashboard.GetAsync();

        dashboard.MemberCount.Should().Be(3);
        dashboard.MembersByRole.Should().Equal(new CountRow("OWNER", 1), new CountRow("ADMIN", 1), new CountRow("MEMBER", 1));
        dashboard.TopTeams.Should().Equal(new CountRow("Ops", 2), new CountRow("Empty", 0));
        dashboard.TeamCount.Should().Be(2);
        dashboard.MembersInNoTeam.Should().Be(1);
        dashboard.ActiveLast7Days.Should().Be(1, "only Ben entered the organization in the app");
        dashboard.PendingInvitations.Should().Be(0);
        dashboard.Activity.Should().HaveCount(OrganizationDashboardService.ActivityDays);
        dashboard.Activity![^1].Count.Should().BeGreaterThan(0, "today's changes are in the audit log");

        var csv = await owner.Dashboard.ExportCsvAsync(DashboardSection.MembersByTeam);
        csv.Should().Be("team,members\r\nOps,2\r\nEmpty,0\r\n");
    }

    [Fact]
    public async Task A_member_sees_no_invitations_join_requests_or_audit_activity()
    {
        var (owner, organizationId) = await world.OrganizationAsync();
        var mia = await world.JoinAsync(owner, organizationId, "Mia", OrganizationRole.Member);

        var dashboard = await mia.Dashboard.GetAsync();

        dashboard.PendingInvitations.Should().BeNull();
        dashboard.PendingJoinRequests.Should().BeNull();
        dashboard.Activity.Should().BeNull();
        var error = await Assert.ThrowsAsync<MultiOrg.Domain.Errors.DomainException>(() => mia.Dashboard.ExportCsvAsync(DashboardSection.Activity));
        error.Kind.Should().Be(MultiOrg.Domain.Errors.DomainErrorKind.Forbidden);
    }
}
