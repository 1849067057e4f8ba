using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Organizations;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Members;

/// <summary>Bulk role change, bulk remove and export follow the one-by-one rules, on real SQLite.</summary>
public sealed class BulkMemberTests : IDisposable
{
    private readonly TestWorld world = new();

    public void Dispose() => world.Dispose();

    [Fact]
    public async Task An_owner_changes_several_roles_at_once_and_each_person_is_reported()
    {
        var (owner, organizationId) = await world.OrganizationAsync();
        var mia = await world.JoinAsync(owner, organizationId, "Mia", OrganizationRole.Member);
        var max = await world.JoinAsync(owner, organizationId, "Max", OrganizationRole.Member);
        var adam = await world.JoinAsync(owner, organizationId, "Adam", OrganizationRole.Admin);

        var result = await owner.Members.ChangeRolesAsync([mia.UserId, max.UserId, adam.UserId, mia.UserId], OrganizationRole.Admin);

        result.Outcomes.Select(o => (o.UserId, o.Status)).Should().Equal(
            (mia.UserId, BulkMemberStatus.Changed), (max.UserId, BulkMemberStatus.Changed), (adam.UserId, BulkMemberStatus.Unchanged));
        result.Outcomes[0].Message.Should().Be("MEMBER → ADMIN");
        result.Outcomes[2].Message.Should().Be("Already ADMIN.");
        result.Applied.Should().Be(2);
        result.NotApplied.Should().Be(0);
        var roles = await world.RolesAsync(organizationId);
        roles[mia.UserId].Should().Be(OrganizationRole.Admin);
        roles[max.UserId].Should().Be(OrganizationRole.Admin);
        roles[owner.UserId].Should().Be(OrganizationRole.Owner);
    }

    [Fact]
    public async Task Demoting_every_owner_at_once_is_refused_as_a_whole_and_writes_nothing()
    {
        var (owner, organizationId) = await world.OrganizationAsync();
        var second = await world.JoinAsync(owner, organizationId, "Second", OrganizationRole.Owner);
        var mia = await world.JoinAsync(owner, organizationId, "Mia", OrganizationRole.Member);
        var before = await world.RolesAsync(organizationId);

        var act = () => owner.Members.ChangeRolesAsync([mia.UserId, second.UserId, owner.UserId], OrganizationRole.Admin);

        (await act.Should().ThrowAsync<DomainException>()).Which.Should().Match<DomainException>(e =>
            e.Kind == DomainErrorKind.Conflict && e.Message == DomainMessages.BulkLeavesNoOwner);
        (await world.RolesAsync(organizationId)).Should().BeEquivalentTo(before, "the member who could have been changed was not changed either");
        owner.Tenant.Role.Should().Be(OrganizationRole.Owner);
    }

    [Fact]
    public async Task An_owner_may_demote_themself_with_others_while_an_owner_remains_and_the_circuit_follows()
    {
        var (owner, organizationId) = await world.OrganizationAsync();
        var second = await world.JoinAsync(owner, organizationId, "Second", OrganizationRole.Owner);
        var mia = await world.JoinAsync(owner, organizationId, "Mia", OrganizationRole.Member);

        var result = await owner.Members.ChangeRolesAsync([owner.UserId, mia.UserId], OrganizationRole.Admin);

        result.Applied.Should().Be(2);
        var roles = await world.RolesAsync(organizationId);
        roles[owner.UserId].Should().Be(OrganizationRole.Admin);
        roles[second.UserId].Should().Be(OrganizationRole.Owner);
        owner.Tenant.Role.Should().Be(OrganizationRole.Admin);
    }

    [Fact]
    public async Task Only_owners_change_roles_in_bulk()
    {
        var (owner, organizationId) = await world.OrganizationAsync();
        var adam = await world.JoinAsync(owner, organizationId, "Adam", OrganizationRole.Admin);
        var mia = await world.JoinAsync(owner, organizationId, "Mia", OrganizationRole.Member);

        var act = () => adam.Members.ChangeRolesAsync([mia.UserId], OrganizationRole.Admin);

        (await act.Should().ThrowAsync<DomainException>()).Which.Should().Match<DomainException>(e =>
            e.Kind == DomainErrorKind.Forbidden && e.Message == "Only owners can change member roles.");
        (await world.RolesAsync(organizationId))[mia.UserId].Should().Be(OrganizationRole.Member);
    }

    [Fact]
    public async Task An_admin_removes_members_in_bulk_but_never_an_owner_nor_themself()
    {
        var (owner, organizationId) = await world.OrganizationAsync();
        var adam = await world.JoinAsync(owner, organizationId, "Adam", OrganizationRole.Admin);
        var mia = await world.JoinAsync(owner, organizationId, "Mia", OrganizationRole.Member);
        var max = await world.JoinAsync(owner, organizationId, "Max", OrganizationRole.Member);

        var result = await adam.Members.RemoveManyAsync([mia.UserId, owner.UserId, adam.UserId, max.UserId]);

        result.Outcomes.Select(o => (o.Email, o.Status, o.Message)).Should().Equal(
            (mia.Email, BulkMemberStatus.Removed, "Removed."),
            (owner.Email, BulkMemberStatus.Refused, "Only an owner can remove an owner."),
            (adam.Email, BulkMemberStatus.Refused, "You cannot remove yourself; use Leave instead."),
            (max.Email, BulkMemberStatus.Removed, "Removed."));
        (await world.RolesAsync(organizationId)).Keys.Should().BeEquivalentTo([owner.UserId, adam.UserId]);
    }

    [Fact]
    public async Task Bulk_removal_clears_the_removed_peoples_last_used_organization()
    {
        var (owner, organizationId) = await world.OrganizationAsync();
        var mia = await world.JoinAsync(owner, organizationId, "Mia", OrganizationRole.Member);
        var max = await world.JoinAsync(owner, organizationId, "Max", OrganizationRole.Member);
        await using (var db = world.Database.CreateContext())
        {
            await db.Users.Where(u => u.Id == mia.UserId || u.Id == max.UserId)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.LastOrganizationId, organizationId));
        }

        await owner.Members.RemoveManyAsync([mia.UserId, max.UserId]);

        await using var check = world.Database.CreateContext();
        (await check.Users.Where(u => u.Id == mia.UserId || u.Id == max.UserId).Select(u => u.LastOrganizationId).ToListAsync())
            .Should().HaveCount(2).And.OnlyContain(id => id == null);
    }

    [Fact]
    public async Task A_batch_with_a_user_of_another_organization_never_touches_them()
    {
        var (owner, organizationId) = await world.OrganizationAsync();
        var mia = await world.JoinAsync(owner, organizationId, "Mia", OrganizationRole.Member);
        var (otherOwner, otherId) = await world.OrganizationAsync("Other");
        var stranger = await world.JoinAsync(otherOwner, otherId, "Stranger", OrganizationRole.Member);
        var otherBefore = await world.RolesAsync(otherId);

        var promoted = await owner.Members.ChangeRolesAsync([mia.UserId, stranger.UserId, otherOwner.UserId], OrganizationRole.Owner);
        var removed = await owner.Members.RemoveManyAsync([stranger.UserId, otherOwner.UserId]);

        var notFound = new BulkMemberOutcome(stranger.UserId, null, null, BulkMemberStatus.NotFound, "That person is not a member of this organization.");
        promoted.Outcomes.Should().HaveCount(3);
        promoted.Outcomes[1].Should().Be(notFound, "nothing about a person of another organization is revealed");
        promoted.Outcomes[2].Status.Should().Be(BulkMemberStatus.NotFound);
        removed.Outcomes.Select(o => o.Status).Should().Equal(BulkMemberStatus.NotFound, BulkMemberStatus.NotFound);
        (await world.RolesAsync(otherId)).Should().BeEquivalentTo(otherBefore);
        (await world.RolesAsync(organizationId))[mia.UserId].Should().Be(OrganizationRole.Owner);
    }

    [Theory]
    [InlineData(0, "userIds must list at least one member.")]
    [InlineData(501, "userIds may list at most 500 members at once; it lists 501.")]
    public async Task An_empty_or_oversized_batch_is_refused_naming_the_field(int count, string message)
    {
        var (owner, _) = await world.OrganizationAsync();
        var ids = Enumerable.Range(0, count).Select(i => $"user-{i}").ToList();

        var act = () => owner.Members.RemoveManyAsync(ids);

        (await act.Should().ThrowAsync<DomainException>()).Which.Should().Match<DomainException>(e =>
            e.Kind == DomainErrorKind.Validation && e.Field == "userIds" && e.Message == message);
    }

    [Fact]
    public async Task Export_has_every_page_of_the_filtered_list_in_its_order()
    {
        var (owner, organizationId) = await world.OrganizationAsync();
        foreach (var name in new[] { "Zed Smith", "Amy Smith", "Bea Jones" })
        {
            await world.JoinAsync(owner, organizationId, name, OrganizationRole.Member);
        }

        var csv = await owner.Members.ExportCsvAsync(new MemberQuery(Search: "smith", Sort: MemberSort.Name, Descending: true, Page: 2, PageSize: 1));

        var rows = ReadCsv(csv);
        rows[0].Should().Equal("Email", "Name", "Role", "Joined (UTC)");
        rows.Skip(1).Select(r => (r[1], r[2])).Should().Equal(("Zed Smith", "MEMBER"), ("Amy Smith", "MEMBER"));
        rows[1][0].Should().StartWith("zed.smith.").And.EndWith("@example.test");
        rows[1][3].Should().MatchRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$");
    }

    [Fact]
    public async Task Export_neutralises_every_spreadsheet_formula_prefix()
    {
        var (owner, organizationId) = await world.OrganizationAsync();
        await owner.Billing.ChangePlanAsync("team", null);
        string[] names = ["=HYPERLINK(\"http://evil.test\",\"x\")", "+1", "-2", "@SUM(A1)", "\tTabbed", "\rReturned"];
        foreach (var name in names)
        {
            // The display name is typed freely on the profile page; an email address could never start like this.
            var person = await world.CreateUserAsync("Formula");
            await using (var db = world.Database.CreateContext())
            {
                await db.Users.Where(u => u.Id == person.UserId).ExecuteUpdateAsync(s => s.SetProperty(u => u.DisplayName, name));
            }

            await owner.Members.AddByEmailAsync(person.Email);
        }

        var csv = await owner.Members.ExportCsvAsync(new MemberQuery(PageSize: 1));

        var exported = ReadCsv(csv).Skip(1).Select(r => r[1]).ToList();
        exported.Should().HaveCount(names.Length + 1, "every member, not one page");
        foreach (var name in names)
        {
            exported.Should().Contain("'" + name, $"“{name.Replace('\t', '→').Replace('\r', '↵')}” is escaped so a spreadsheet shows it as text");
        }

        exported.Should().OnlyContain(cell => !"=+-@\t\r".Contains(cell[0], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_member_may_export_but_no_one_outside()
    {
        var (owner, organizationId) = await world.OrganizationAsync();
        var mia = await world.JoinAsync(owner, organizationId, "Mia", OrganizationRole.Member);
        var outsider = await world.CreateUserAsync("Outsider");

        (await mia.Members.ExportCsvAsync(new MemberQuery())).Should().Contain(owner.Email);
        var act = () => outsider.Members.ExportCsvAsync(new MemberQuery());
        (await act.Should().ThrowAsync<DomainException>()).Which.Kind.Should().Be(DomainErrorKind.Forbidden);
    }

    private static List<string[]> ReadCsv(string csv)
    {
        using var reader = new CsvHelper.CsvReader(new StringReader(csv), System.Globalization.CultureInfo.InvariantCulture);
        var rows = new List<string[]>();
        while (reader.Read())
        {
            rows.Add(reader.Parser.Record!);
        }

        return rows;
    }
}
