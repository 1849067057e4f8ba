using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Accounting;
using MultiOrg.Domain.Audit;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Support;
using MultiOrg.Domain.Users;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Support;

public sealed class ImpersonationTests : IDisposable
{
    private const string Reason = "Ticket 4711: the owner cannot find the tax codes";

    private readonly TestWorld world = new();

    public void Dispose() => world.Dispose();

    private async Task<(Actor Owner, Actor Member, Guid OrganizationId)> CustomerAsync()
    {
        var owner = await world.CreateUserAsync("Olivia");
        var member = await world.CreateUserAsync("Mia");
        var organization = await owner.Organizations.CreateAsync("Acme Corp");
        await owner.Members.AddByEmailAsync(member.Email);
        return (owner, member, organization.Id);
    }

    private async Task<Actor> StaffAsync(GlobalRole role, string name = "Sid")
    {
        var staff = await world.CreateUserAsync(name);
        await world.GrantAsync(staff, role);
        return staff;
    }

    private static async Task<DomainException> Refused(Func<Task> action) =>
        (await action.Should().ThrowAsync<DomainException>()).Which;

    [Fact]
    public async Task Support_cannot_impersonate_without_a_written_reason_or_beyond_four_hours()
    {
        var (_, _, organizationId) = await CustomerAsync();
        var sid = await StaffAsync(GlobalRole.Support);
        var user = await world.CreateUserAsync("Nobody");

        (await Refused(() => sid.Support.StartImpersonationAsync(new(organizationId, "  ")))).Field.Should().Be("reason");
        (await Refused(() => sid.Support.StartImpersonationAsync(new(organizationId, "help")))).Field.Should().Be("reason");
        (await Refused(() => sid.Support.StartImpersonationAsync(new(organizationId, Reason, Minutes: 241)))).Field.Should().Be("minutes");
        (await Refused(() => sid.Support.StartImpersonationAsync(new(organizationId, Reason, WriteEnabled: true, WriteReason: Reason))))
            .Kind.Should().Be(DomainErrorKind.Forbidden, "only a system administrator may open a write-enabled impersonation");
        (await Refused(() => user.Support.StartImpersonationAsync(new(organizationId, Reason)))).Kind.Should().Be(DomainErrorKind.Forbidden);

        sid.Tenant.Impersonation.Should().BeNull();
        await using var db = world.Database.CreateContext();
        (await db.Set<ImpersonationSession>().CountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task Impersonation_defaults_to_thirty_minutes_and_pins_the_circuit_to_the_organization_as_admin()
    {
        var (_, _, organizationId) = await CustomerAsync();
        var sid = await StaffAsync(GlobalRole.Support);
        var own = await sid.Organizations.CreateAsync("Sid's own");

        var before = DateTime.UtcNow;
        var grant = await sid.Support.StartImpersonationAsync(new(organizationId, Reason));

        grant.ExpiresAt.Should().BeCloseTo(before.AddMinutes(30), TimeSpan.FromSeconds(5));
        grant.WriteEnabled.Should().BeFalse();
        sid.Tenant.OrganizationId.Should().Be(organizationId);
        sid.Tenant.Role.Should().Be(OrganizationRole.Admin);
        (await sid.Organizations.GetCurrentAsync()).Name.Should().Be("Acme Corp");
        (await sid.Members.ListAsync(new())).Total.Should().Be(2);
        (await Refused(() => sid.Organizations.EnterAsync(own.Id))).Message.Should().Contain("You are impersonating Acme Corp");
    }

    [Fact]
    public async Task Read_only_impersonation_is_refused_every_write_by_the_services()
    {
        var (owner, member, organizationId) = await CustomerAsync();
        await owner.Notes.AddAsync("Before support came");
        var sid = await StaffAsync(GlobalRole.Support);
        await sid.Support.StartImpersonationAsync(new(organizationId, Reason));

        var writes = new Dictionary<string, Func<Task>>
        {
            ["rename"] = () => sid.Organizations.UpdateAsync("Hijacked"),
            ["add member"] = () => sid.Members.AddByEmailAsync(owner.Email),
            ["remove member"] = () => sid.Members.RemoveAsync(member.UserId),
            ["change role"] = () => sid.Members.ChangeRoleAsync(member.UserId, OrganizationRole.Admin),
            ["delete organization"] = () => sid.Organizations.DeleteAsync(),
            ["add note"] = () => sid.Notes.AddAsync("Support was here"),
            ["add account"] = () => sid.Accounting.AddAccountAsync("9999", "Suspense", AccountType.Asset),
            ["create API key"] = () => sid.ApiKeys.CreateAsync("Support key", OrganizationRole.Member),
            ["create organization"] = () => sid.Organizations.CreateAsync("Side project"),
        };
        foreach (var (name, write) in writes)
        {
            (await Refused(write)).Kind.Should().Be(DomainErrorKind.Forbidden, $"'{name}' must be refused during a read-only impersonation");
        }

        (await sid.Notes.ListAsync()).Should().ContainSingle("support can read the organization's data");
        await using var db = world.Database.CreateContext();
        (await db.AuditEntries.IgnoreQueryFilters().CountAsync(a => a.OrganizationId == organizationId && a.RealActorUserId != null))
            .Should().Be(0, "nothing was written while impersonating");
    }

    [Fact]
    public async Task Write_enabled_impersonation_by_a_system_administrator_is_audited_with_both_identities_but_never_gets_owner_actions()
    {
        var (owner, member, organizationId) = await CustomerAsync();
        var ada = await StaffAsync(GlobalRole.SystemAdmin, "Ada");

        (await Refused(() => ada.Support.StartImpersonationAsync(new(organizationId, Reason, WriteEnabled: true)))).Field.Should().Be("writeReason");
        await ada.Support.StartImpersonationAsync(new(organizationId, Reason, WriteEnabled: true, WriteReason: "Owner asked us to add the missing note"));

        await ada.Notes.AddAsync("Added by support on request");
        (await Refused(() => ada.Organizations.DeleteAsync())).Message.Should().Be(DomainMessages.NotWhileImpersonating);
        (await Refused(() => ada.Members.ChangeRoleAsync(member.UserId, OrganizationRole.Admin))).Message.Should().Be(DomainMessages.NotWhileImpersonating);
        (await Refused(() => ada.Members.RemoveAsync(owner.UserId))).Message.Should().Be(DomainMessages.OnlyOwnerRemovesOwner);
        (await Refused(() => ada.ApiKeys.CreateAsync("Key", OrganizationRole.Member))).Message.Should().Be(DomainMessages.NoSecretsWhileImpersonating);

        var log = await owner.Audit.ListAsync(new AuditQuery(Action: "OrganizationNote"));
        var entry = log.Items.Should().ContainSingle().Subject;
        entry.ActorUserId.Should().Be(ada.UserId);
        entry.RealActor.Should().Be(ada.Email);
    }

    [Fact]
    public async Task Reaching_the_time_limit_ends_the_impersonation_for_every_service_and_it_is_logged_when_resumed()
    {
        var (_, _, organizationId) = await CustomerAsync();
        var sid = await StaffAsync(GlobalRole.Support);
        var grant = await sid.Support.StartImpersonationAsync(new(organizationId, Reason, Minutes: 5));

        // Time passes: the stored limit is now behind us (the limit is read from the database on every check).
        await using (var db = world.Database.CreateContext())
        {
            await db.Set<ImpersonationSession>().Where(s => s.Id == grant.SessionId)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.ExpiresAt, DateTime.UtcNow.AddSeconds(-1)));
        }

        (await Refused(() => sid.Members.ListAsync(new()))).Message.Should().Be(DomainMessages.ImpersonationEnded);
        (await Refused(() => sid.Organizations.GetCurrentAsync())).Message.Should().Be(DomainMessages.ImpersonationEnded, "no service of that tab still acts in it");

        // A new tab of the same person finds no open impersonation; the expired one is closed at its limit and logged.
        var tab = world.NewScope(sid.UserId, sid.Email);
        (await tab.Support.ResumeImpersonationAsync()).Should().BeNull();
        tab.Tenant.Impersonation.Should().BeNull();
        await using var check = world.Database.CreateContext();
        var session = await check.Set<ImpersonationSession>().SingleAsync();
        session.EndedBy.Should().Be(SupportService.EndedByTimeLimit);
        session.EndedAt.Should().Be(session.ExpiresAt);
        (await check.AuditEntries.IgnoreQueryFilters().CountAsync(a => a.OrganizationId == organizationId && a.Action == "impersonation.ended"))
            .Should().Be(1);
    }

    [Fact]
    public async Task Nested_impersonation_is_refused_even_from_another_tab()
    {
        var (_, _, organizationId) = await CustomerAsync();
        var other = await (await world.CreateUserAsync("Bob")).Organizations.CreateAsync("Bobs Bikes");
        var sid = await StaffAsync(GlobalRole.Support);
        await sid.Support.StartImpersonationAsync(new(organizationId, Reason));
        var secondTab = world.NewScope(sid.UserId, sid.Email);

        (await Refused(() => sid.Support.StartImpersonationAsync(new(other.Id, Reason)))).Kind.Should().Be(DomainErrorKind.Conflict);
        (await Refused(() => secondTab.Support.StartImpersonationAsync(new(other.Id, Reason)))).Kind.Should().Be(DomainErrorKind.Conflict);
        (await secondTab.Support.ResumeImpersonationAsync())!.OrganizationId.Should().Be(organizationId, "a new tab joins the open impersonation");
    }

    [Fact]
    public async Task Ending_in_one_tab_ends_it_in_all_and_the_owner_sees_who_when_how_long_and_why()
    {
        var (owner, _, organizationId) = await CustomerAsync();
        var sid = await StaffAsync(GlobalRole.Support);
        await sid.Support.StartImpersonationAsync(new(organizationId, Reason, Minutes: 45));
        var secondTab = world.NewScope(sid.UserId, sid.Email);
        await secondTab.Support.ResumeImpersonationAsync();

        await sid.Support.EndImpersonationAsync();

        sid.Tenant.Impersonation.Should().BeNull();
        sid.Tenant.OrganizationId.Should().BeNull("the circuit drops back to the support user's own context");
        (await Refused(() => secondTab.Members.ListAsync(new()))).Message.Should().Be(DomainMessages.ImpersonationEnded);

        var log = await owner.Audit.ListAsync(new AuditQuery(Action: "impersonation"));
        log.Items.Select(e => e.Action).Should().Equal("impersonation.ended", "impersonation.started");
        log.Items.Should().OnlyContain(e => e.ActorUserId == sid.UserId && e.Changes.Contains(Reason));
        log.Items[1].Changes.Should().Contain("\"minutes\":45");
        log.Items[0].Changes.Should().Contain($"\"endedBy\":\"{SupportService.EndedBySupportUser}\"");
        (await owner.Audit.VerifyAsync()).Intact.Should().BeTrue();
    }

    [Fact]
    public async Task Only_system_administrators_see_the_internal_users_with_their_open_impersonation()
    {
        var (_, _, organizationId) = await CustomerAsync();
        var sid = await StaffAsync(GlobalRole.Support);
        var ada = await StaffAsync(GlobalRole.SystemAdmin, "Ada");
        await sid.Support.StartImpersonationAsync(new(organizationId, Reason));

        var internalUsers = await ada.Support.ListInternalUsersAsync();

        internalUsers.Select(u => (u.Email, u.Role, u.ImpersonatingOrganization))
            .Should().BeEquivalentTo([(sid.Email, GlobalRole.Support, (string?)"Acme Corp"), (ada.Email, GlobalRole.SystemAdmin, (string?)null)]);
        var fresh = world.NewScope(sid.UserId, sid.Email);
        (await Refused(() => fresh.Support.ListInternalUsersAsync())).Kind.Should().Be(DomainErrorKind.Forbidden);
    }
}
