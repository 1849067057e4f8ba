using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Audit;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Security;

public sealed class SessionTests : IDisposable
{
    private readonly TestWorld world = new();

    public void Dispose() => world.Dispose();

    [Fact]
    public async Task A_person_sees_their_own_sessions_and_ends_another_one_but_never_someone_elses()
    {
        var mia = await world.CreateUserAsync("Mia");
        var sam = await world.CreateUserAsync("Sam");
        var laptop = await mia.Sessions.StartAsync(mia.UserId, "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0", "203.0.113.10");
        var phone = await mia.Sessions.StartAsync(mia.UserId, "Mozilla/5.0 (iPhone) Safari/605.1", "198.51.100.7");
        var samsBrowser = await sam.Sessions.StartAsync(sam.UserId, "Firefox/140.0", "192.0.2.1");

        var listed = await mia.Sessions.ListMineAsync(laptop);
        listed.Select(s => (s.Id, s.IsCurrent)).Should().BeEquivalentTo(new[] { (laptop, true), (phone, false) });
        listed.Single(s => s.Id == phone).Address.Should().Be("198.51.100.7");

        (await Refused(() => mia.Sessions.EndMineAsync(samsBrowser))).Kind.Should().Be(DomainErrorKind.NotFound);
        (await sam.Sessions.IsActiveAsync(samsBrowser, sam.UserId, null)).Should().BeTrue();

        await mia.Sessions.EndMineAsync(phone);
        (await mia.Sessions.IsActiveAsync(phone, mia.UserId, null)).Should().BeFalse();
        (await mia.Sessions.IsActiveAsync(laptop, mia.UserId, null)).Should().BeTrue();
        (await mia.Sessions.ListMineAsync(laptop)).Should().ContainSingle();
    }

    [Fact]
    public async Task An_admin_signs_a_member_out_everywhere_which_changes_their_stamp_ends_their_sessions_and_is_audited()
    {
        var (owner, acme) = await world.OrganizationAsync("Acme");
        var admin = await world.JoinAsync(owner, acme, "Ada", OrganizationRole.Admin);
        var mia = await world.JoinAsync(owner, acme, "Mia", OrganizationRole.Member);
        var session = await mia.Sessions.StartAsync(mia.UserId, "Chrome", null);
        var stampBefore = await StampAsync(mia.UserId);

        await admin.Sessions.SignOutMemberEverywhereAsync(mia.UserId);

        (await StampAsync(mia.UserId)).Should().NotBe(stampBefore);
        (await mia.Sessions.IsActiveAsync(session, mia.UserId, null)).Should().BeFalse();
        var entry = (await owner.Audit.ListAsync(new AuditQuery(Action: "member.signed-out-everywhere"))).Items.Should().ContainSingle().Which;
        entry.ActorUserId.Should().Be(admin.UserId);
        entry.Changes.Should().Contain(mia.UserId);
    }

    [Fact]
    public async Task Only_owners_and_admins_sign_members_out_only_an_owner_signs_out_an_owner_and_only_their_own_members()
    {
        var (owner, acme) = await world.OrganizationAsync("Acme");
        var admin = await world.JoinAsync(owner, acme, "Ada", OrganizationRole.Admin);
        var mia = await world.JoinAsync(owner, acme, "Mia", OrganizationRole.Member);
        var (otherOwner, _) = await world.OrganizationAsync("Other", "Otto");

        (await Refused(() => mia.Sessions.SignOutMemberEverywhereAsync(admin.UserId))).Kind.Should().Be(DomainErrorKind.Forbidden);
        (await Refused(() => admin.Sessions.SignOutMemberEverywhereAsync(owner.UserId))).Kind.Should().Be(DomainErrorKind.Forbidden);
        (await Refused(() => otherOwner.Sessions.SignOutMemberEverywhereAsync(mia.UserId))).Kind.Should().Be(DomainErrorKind.NotFound,
            "a person of another organization is not found from here");
        await owner.Sessions.SignOutMemberEverywhereAsync(admin.UserId);
    }

    private async Task<string?> StampAsync(string userId)
    {
        await using var db = world.Database.CreateContext();
        return await db.Users.Where(u => u.Id == userId).Select(u => u.SecurityStamp).SingleAsync();
    }

    private static async Task<DomainException> Refused(Func<Task> act) => (await act.Should().ThrowAsync<DomainException>()).Which;
}
