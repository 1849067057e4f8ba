using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Organizations;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Members;

public sealed class MemberServiceTests : IDisposable
{
    private readonly TestWorld world = new();

    public void Dispose() => world.Dispose();

    private Task<(Actor Owner, Guid OrganizationId)> OrganizationAsync() => world.OrganizationAsync();

    private Task<Actor> JoinAsync(Actor owner, Guid organizationId, string name, OrganizationRole role) =>
        world.JoinAsync(owner, organizationId, name, role);

    [Fact]
    public async Task Adding_an_email_with_no_account_says_they_must_create_one_first()
    {
        var (owner, _) = await OrganizationAsync();

        var act = () => owner.Members.AddByEmailAsync("nobody@example.test");

        (await act.Should().ThrowAsync<DomainException>()).Which.Should().Match<DomainException>(e =>
            e.Kind == DomainErrorKind.NotFound && e.Message == "User not found. They must create an account first.");
    }

    [Fact]
    public async Task Adding_by_email_ignores_case_and_surrounding_spaces()
    {
        var (owner, _) = await OrganizationAsync();
        var bob = await world.CreateUserAsync("Bob");

        var added = await owner.Members.AddByEmailAsync($"  {bob.Email.ToUpperInvariant()} ");

        added.UserId.Should().Be(bob.UserId);
        added.Role.Should().Be(OrganizationRole.Member);
    }

    [Fact]
    public async Task Adding_someone_who_is_already_a_member_is_a_conflict()
    {
        var (owner, organizationId) = await OrganizationAsync();
        var bob = await JoinAsync(owner, organizationId, "Bob", OrganizationRole.Member);

        var again = () => owner.Members.AddByEmailAsync(bob.Email);

        (await again.Should().ThrowAsync<DomainException>()).Which.Kind.Should().Be(DomainErrorKind.Conflict);
        await using var db = world.Database.CreateContext();
        (await db.OrganizationMembers.CountAsync(m => m.OrganizationId == organizationId)).Should().Be(2);
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("")]
    public async Task A_malformed_email_is_refused_naming_the_field(string email)
    {
        var (owner, _) = await OrganizationAsync();

        var act = () => owner.Members.AddByEmailAsync(email);

        (await act.Should().ThrowAsync<DomainException>()).Which.Should()
            .Match<DomainException>(e => e.Kind == DomainErrorKind.Validation && e.Field == "email");
    }

    [Fact]
    public async Task An_admin_adds_members_but_cannot_add_an_owner_or_admin()
    {
        var (owner, organizationId) = await OrganizationAsync();
        var adam = await JoinAsync(owner, organizationId, "Adam", OrganizationRole.Admin);
        var carol = await world.CreateUserAsync("Carol");
        var dave = await world.CreateUserAsync("Dave");

        (await adam.Members.AddByEmailAsync(carol.Email)).Role.Should().Be(OrganizationRole.Member);
        var promote = () => adam.Members.AddByEmailAsync(dave.Email, OrganizationRole.Owner);

        (await promote.Should().ThrowAsync<DomainException>()).Which.Kind.Should().Be(DomainErrorKind.Forbidden);
    }

    [Fact]
    public async Task Only_owners_change_roles()
    {
        var (owner, organizationId) = await OrganizationAsync();
        var adam = await JoinAsync(owner, organizationId, "Adam", OrganizationRole.Admin);
        var mia = await JoinAsync(owner, organizationId, "Mia", OrganizationRole.Member);

        var byAdmin = () => adam.Members.ChangeRoleAsync(mia.UserId, OrganizationRole.Admin);
        (await byAdmin.Should().ThrowAsync<DomainException>()).Which.Message.Should().Be("Only owners can change member roles.");

        (await owner.Members.ChangeRoleAsync(mia.UserId, OrganizationRole.Owner)).Role.Should().Be(OrganizationRole.Owner);
    }

    [Fact]
    public async Task An_admin_cannot_remove_an_owner()
    {
        var (owner, organizationId) = await OrganizationAsync();
        var adam = await JoinAsync(owner, organizationId, "Adam", OrganizationRole.Admin);

        var act = () => adam.Members.RemoveAsync(owner.UserId);

        (await act.Should().ThrowAsync<DomainException>()).Which.Should()
            .Match<DomainException>(e => e.Kind == DomainErrorKind.Forbidden && e.Message == "Only an owner can remove an owner.");
    }

    [Fact]
    public async Task An_admin_removes_a_member_and_a_member_removes_nobody()
    {
        var (owner, organizationId) = await OrganizationAsync();
        var adam = await JoinAsync(owner, organizationId, "Adam", OrganizationRole.Admin);
        var mia = await JoinAsync(owner, organizationId, "Mia", OrganizationRole.Member);
        var max = await JoinAsync(owner, organizationId, "Max", OrganizationRole.Member);

        var byMember = () => mia.Members.RemoveAsync(max.UserId);
        (await byMember.Should().ThrowAsync<DomainException>()).Which.Kind.Should().Be(DomainErrorKind.Forbidden);

        await adam.Members.RemoveAsync(max.UserId);
        var page = await owner.Members.ListAsync(new MemberQuery());
        page.Items.Select(m => m.UserId).Should().NotContain(max.UserId);
    }

    [Fact]
    public async Task The_sole_owner_can_neither_leave_nor_demote_themself()
    {
        var (owner, organizationId) = await OrganizationAsync();
        await JoinAsync(owner, organizationId, "Adam", OrganizationRole.Admin);

        var leave = () => owner.Members.LeaveAsync();
        var demote = () => owner.Members.ChangeRoleAsync(owner.UserId, OrganizationRole.Admin);
        var removeSelf = () => owner.Members.RemoveAsync(owner.UserId);

        (await leave.Should().ThrowAsync<DomainException>()).Which.Should()
            .Match<DomainException>(e => e.Kind == DomainErrorKind.Conflict && e.Message == "Transfer ownership before leaving");
        (await demote.Should().ThrowAsync<DomainException>()).Which.Message.Should()
            .Be("This is the last OWNER: make another member OWNER before changing this role.", "a demotion is no leaving");
        (await removeSelf.Should().ThrowAsync<DomainException>()).Which.Message.Should().Be("Transfer ownership before leaving");
    }

    [Fact]
    public async Task An_owner_leaves_once_another_owner_exists_and_last_used_is_cleared()
    {
        var (owner, organizationId) = await OrganizationAsync();
        var second = await JoinAsync(owner, organizationId, "Second", OrganizationRole.Owner);

        await owner.Members.LeaveAsync();

        owner.Tenant.OrganizationId.Should().BeNull();
        await using var db = world.Database.CreateContext();
        (await db.Users.SingleAsync(u => u.Id == owner.UserId)).LastOrganizationId.Should().BeNull();
        (await db.OrganizationMembers.SingleAsync(m => m.OrganizationId == organizationId)).UserId.Should().Be(second.UserId);
    }

    [Fact]
    public async Task Members_list_pages_sorts_and_searches()
    {
        var (owner, organizationId) = await OrganizationAsync();
        foreach (var name in new[] { "Zed", "Amy", "Bea", "Cal" })
        {
            await JoinAsync(owner, organizationId, name, OrganizationRole.Member);
        }

        var byName = await owner.Members.ListAsync(new MemberQuery(Sort: MemberSort.Name, PageSize: 2, Page: 2));
        var search = await owner.Members.ListAsync(new MemberQuery(Search: "bea"));
        var byRole = await owner.Members.ListAsync(new MemberQuery(Sort: MemberSort.Role));

        byName.Total.Should().Be(5);
        byName.Items.Select(m => m.Name).Should().Equal("Cal", "Olivia");
        search.Items.Should().ContainSingle().Which.Name.Should().Be("Bea");
        byRole.Items[0].Role.Should().Be(OrganizationRole.Owner);
    }

    [Fact]
    public async Task A_demoted_admin_is_refused_at_once_even_in_a_long_lived_scope()
    {
        var (owner, organizationId) = await OrganizationAsync();
        var adam = await JoinAsync(owner, organizationId, "Adam", OrganizationRole.Admin);
        var mia = await JoinAsync(owner, organizationId, "Mia", OrganizationRole.Member);

        await owner.Members.ChangeRoleAsync(adam.UserId, OrganizationRole.Member);
        var act = () => adam.Members.RemoveAsync(mia.UserId);

        (await act.Should().ThrowAsync<DomainException>()).Which.Kind.Should().Be(DomainErrorKind.Forbidden);
    }

    [Fact]
    public async Task Search_and_name_order_ignore_case_beyond_ascii_and_follow_a_renamed_member()
    {
        var (owner, organizationId) = await OrganizationAsync();
        var jurgen = await JoinAsync(owner, organizationId, "Jürgen Müller", OrganizationRole.Member);
        await JoinAsync(owner, organizationId, "anna Zeller", OrganizationRole.Member);

        (await owner.Members.ListAsync(new MemberQuery(Search: "müller"))).Items.Should().ContainSingle().Which.UserId.Should().Be(jurgen.UserId);
        (await owner.Members.ListAsync(new MemberQuery(Sort: MemberSort.Name))).Items.Select(m => m.Name)
            .Should().Equal("anna Zeller", "Jürgen Müller", "Olivia");

        await using (var db = world.Database.CreateContext())
        {
            var user = await db.Users.SingleAsync(u => u.Id == jurgen.UserId);
            user.DisplayName = "Zacharias Renamed";
            await db.SaveChangesAsync();
        }

        (await owner.Members.ListAsync(new MemberQuery(Search: "zacharias"))).Items.Should().ContainSingle().Which.UserId.Should().Be(jurgen.UserId);
        (await owner.Members.ListAsync(new MemberQuery(Sort: MemberSort.Name))).Items.Select(m => m.Name)
            .Should().Equal("anna Zeller", "Olivia", "Zacharias Renamed");
    }
}
