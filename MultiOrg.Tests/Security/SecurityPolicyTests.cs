using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MultiOrg.Domain.Audit;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Security;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Security;

/// <summary>An organization's security policies, each binding its members in that organization and nowhere else.</summary>
public sealed class SecurityPolicyTests : IDisposable
{
    private const string Office = "203.0.113.10";
    private const string Home = "198.51.100.7";

    private readonly TestWorld world = new();

    public void Dispose() => world.Dispose();

    private static SecurityPolicyInput Policy(
        bool twoFactor = false, int minLength = 8, bool digit = false, string[]? allow = null, int? idle = null, int? retention = null, bool confirm = false) =>
        new(twoFactor, minLength, digit, false, false, idle, allow ?? [], retention, confirm);

    /// <summary>Mia belongs to Acme (whose policies the tests set) and to Other (which has none), working from <paramref name="address"/>.</summary>
    private async Task<(Actor Owner, Actor Mia, Guid Acme, Guid Other)> TwoOrganizationsAsync(string address = Office)
    {
        var (owner, acme) = await world.OrganizationAsync("Acme");
        owner.Tenant.ClientIp = Office;
        var mia = await world.JoinAsync(owner, acme, "Mia", OrganizationRole.Member);
        var other = await mia.Organizations.CreateAsync("Other");
        mia.Tenant.ClientIp = address;
        return (owner, mia, acme, other.Id);
    }

    private static async Task<DomainException> Refused(Func<Task> act) => (await act.Should().ThrowAsync<DomainException>()).Which;

    [Fact]
    public async Task An_invalid_range_is_refused_naming_the_entry()
    {
        var (owner, _, _, _) = await TwoOrganizationsAsync();

        var error = await Refused(() => owner.Security.UpdateAsync(Policy(allow: ["203.0.113.0/24", "10.0.0.300/8"])));

        error.Kind.Should().Be(DomainErrorKind.Validation);
        error.Field.Should().Be("ipAllowList");
        error.Message.Should().Contain("“10.0.0.300/8”");
        (await owner.Security.GetAsync()).IpAllowList.Should().BeEmpty("nothing of a refused list is saved");
    }

    [Fact]
    public async Task A_list_without_the_savers_own_address_needs_an_explicit_confirmation()
    {
        var (owner, _, acme, _) = await TwoOrganizationsAsync();

        var error = await Refused(() => owner.Security.UpdateAsync(Policy(allow: ["192.0.2.0/24"])));
        error.Kind.Should().Be(DomainErrorKind.Conflict);
        error.Field.Should().Be("confirmExcludesMyAddress");
        error.Message.Should().Contain(Office);

        await owner.Security.UpdateAsync(Policy(allow: ["192.0.2.0/24"], confirm: true));
        var nextTab = world.NewScope(owner.UserId, owner.Email);
        nextTab.Tenant.ClientIp = Office;
        (await Refused(() => nextTab.Organizations.EnterAsync(acme))).Refusal.Should().Be(SecurityRefusal.AddressNotAllowed);
    }

    [Fact]
    public async Task A_list_with_the_savers_address_saves_without_asking_and_accepts_ipv6_ranges()
    {
        var (owner, _, _, _) = await TwoOrganizationsAsync();

        var saved = await owner.Security.UpdateAsync(Policy(allow: ["203.0.113.0/24", "2001:db8::/32", "198.51.100.7"]));

        saved.IpAllowList.Should().Equal("203.0.113.0/24", "2001:db8::/32", "198.51.100.7/32");
    }

    [Fact]
    public async Task An_address_outside_the_list_cannot_enter_that_organization_but_enters_the_others()
    {
        var (owner, mia, acme, other) = await TwoOrganizationsAsync(address: Home);
        await owner.Security.UpdateAsync(Policy(allow: ["203.0.113.0/24", "2001:db8::/32"]));

        var error = await Refused(() => mia.Organizations.EnterAsync(acme));
        error.Kind.Should().Be(DomainErrorKind.Forbidden);
        error.Message.Should().Contain(Home).And.Contain("Acme");
        (await mia.Organizations.EnterAsync(other)).Name.Should().Be("Other");

        var fromOffice = world.NewScope(mia.UserId, mia.Email);
        fromOffice.Tenant.ClientIp = "2001:db8::42";
        (await fromOffice.Organizations.EnterAsync(acme)).Name.Should().Be("Acme");
    }

    [Fact]
    public async Task A_list_saved_while_someone_works_stops_them_at_their_next_action()
    {
        var (owner, mia, acme, _) = await TwoOrganizationsAsync(address: Home);
        await mia.Organizations.EnterAsync(acme);

        await owner.Security.UpdateAsync(Policy(allow: ["203.0.113.0/24"]));

        (await Refused(() => mia.Members.ListAsync(new MultiOrg.Domain.Members.MemberQuery()))).Message.Should().Contain(Home);
    }

    [Fact]
    public async Task Required_two_factor_keeps_a_member_without_an_authenticator_out_of_that_organization_only()
    {
        var (owner, mia, acme, other) = await TwoOrganizationsAsync();
        await owner.Security.UpdateAsync(Policy(twoFactor: true));

        (await Refused(() => mia.Organizations.EnterAsync(acme))).Refusal.Should().Be(SecurityRefusal.TwoFactorSetup);
        (await mia.Organizations.EnterAsync(other)).Name.Should().Be("Other");

        await using (var db = world.Database.CreateContext())
        {
            await db.Users.Where(u => u.Id == mia.UserId).ExecuteUpdateAsync(s => s.SetProperty(u => u.TwoFactorEnabled, true));
        }

        (await mia.Organizations.EnterAsync(acme)).Name.Should().Be("Acme");
    }

    [Fact]
    public async Task A_password_older_than_stricter_rules_must_be_changed_to_enter_that_organization_only()
    {
        var (owner, mia, acme, other) = await TwoOrganizationsAsync();
        await SetPasswordChangedAsync(mia, DateTime.UtcNow.AddDays(-3));

        var saved = await owner.Security.UpdateAsync(Policy(minLength: 14, digit: true));
        saved.PasswordRulesTightenedAt.Should().BeCloseTo(DateTime.UtcNow, TimeSpan.FromMinutes(1), "stricter rules were saved just now");

        (await Refused(() => mia.Organizations.EnterAsync(acme))).Refusal.Should().Be(SecurityRefusal.PasswordChange);
        (await mia.Organizations.EnterAsync(other)).Name.Should().Be("Other");

        await SetPasswordChangedAsync(mia, DateTime.UtcNow);
        (await mia.Organizations.EnterAsync(acme)).Name.Should().Be("Acme");
    }

    [Fact]
    public async Task Loosening_the_password_rules_asks_nobody_for_a_new_password()
    {
        var (owner, mia, acme, _) = await TwoOrganizationsAsync();
        await owner.Security.UpdateAsync(Policy(minLength: 14));
        await SetPasswordChangedAsync(mia, DateTime.UtcNow.AddSeconds(1));
        var tightened = (await owner.Security.GetAsync()).PasswordRulesTightenedAt;

        await owner.Security.UpdateAsync(Policy(minLength: 10));

        (await owner.Security.GetAsync()).PasswordRulesTightenedAt.Should().Be(tightened);
        (await mia.Organizations.EnterAsync(acme)).Name.Should().Be("Acme");
    }

    [Fact]
    public async Task A_new_password_must_meet_the_strictest_rules_of_the_persons_organizations()
    {
        var (owner, mia, _, _) = await TwoOrganizationsAsync();
        await owner.Security.UpdateAsync(Policy(minLength: 14, digit: true));

        var rules = await world.SecurityLookup().PasswordRulesForAsync(mia.UserId);
        var outsider = await world.CreateUserAsync("Oscar");
        var none = await world.SecurityLookup().PasswordRulesForAsync(outsider.UserId);

        rules.Should().BeEquivalentTo(new PasswordRules(14, true, false, false, ["Acme"]));
        none.Should().Be(PasswordRules.Default);
    }

    [Fact]
    public async Task Only_owners_and_admins_change_policies_and_every_change_is_audited()
    {
        var (owner, mia, acme, _) = await TwoOrganizationsAsync();
        await mia.Organizations.EnterAsync(acme);

        (await Refused(() => mia.Security.UpdateAsync(Policy(twoFactor: true)))).Kind.Should().Be(DomainErrorKind.Forbidden);
        (await Refused(() => mia.Security.GetAsync())).Kind.Should().Be(DomainErrorKind.Forbidden);
        await owner.Security.UpdateAsync(Policy(idle: 15, retention: 90));
        await owner.Security.UpdateAsync(Policy(twoFactor: true, idle: 15, retention: 90));

        var log = (await owner.Audit.ListAsync(new AuditQuery(Action: "SecurityPolicy"))).Items.OrderBy(e => e.Sequence).ToList();
        log.Select(e => e.Action).Should().Equal("SecurityPolicy.created", "SecurityPolicy.updated");
        var change = JsonDocument.Parse(log[1].Changes).RootElement;
        change.GetProperty("RequireTwoFactor")[0].GetString().Should().Be("False");
        change.GetProperty("RequireTwoFactor")[1].GetString().Should().Be("True");
        log.Should().OnlyContain(e => e.ActorUserId == owner.UserId && e.ClientIp == Office);
    }

    [Theory]
    [InlineData(7, null, null, "passwordMinLength")]
    [InlineData(8, 0, null, "idleTimeoutMinutes")]
    [InlineData(8, null, 0, "auditRetentionDays")]
    public async Task Out_of_range_limits_are_refused_naming_the_field(int minLength, int? idle, int? retention, string field)
    {
        var (owner, _, _, _) = await TwoOrganizationsAsync();

        (await Refused(() => owner.Security.UpdateAsync(Policy(minLength: minLength, idle: idle, retention: retention)))).Field.Should().Be(field);
    }

    [Fact]
    public async Task Only_owners_change_audit_retention_and_never_below_the_configured_floor()
    {
        var (owner, acme) = await world.OrganizationAsync("Acme");
        owner.Tenant.ClientIp = Office;
        var admin = await world.JoinAsync(owner, acme, "Ada", OrganizationRole.Admin);
        admin.Tenant.ClientIp = Office;
        SecurityPolicyService Security(Actor actor) =>
            actor.Create<SecurityPolicyService>(world.Time, Options.Create(new AuditOptions { MinimumRetentionDays = 365 }));

        var erase = await Refused(() => Security(admin).UpdateAsync(Policy(retention: 400)));
        var belowFloor = await Refused(() => Security(owner).UpdateAsync(Policy(retention: 1)));
        await Security(owner).UpdateAsync(Policy(retention: 400));
        await Security(admin).UpdateAsync(Policy(twoFactor: true, retention: 400));

        erase.Kind.Should().Be(DomainErrorKind.Forbidden, "an ADMIN could otherwise erase the trail of their own actions");
        erase.Field.Should().Be("auditRetentionDays");
        belowFloor.Field.Should().Be("auditRetentionDays");
        belowFloor.Message.Should().Contain("365");
        (await Security(owner).GetAsync()).Should().BeEquivalentTo(new { RequireTwoFactor = true, AuditRetentionDays = (int?)null, PendingAuditRetentionDays = 400 },
            "an ADMIN still changes the other policies while leaving retention (and the owner's waiting shortening) as it is");
    }

    [Fact]
    public async Task The_purge_keeps_entries_younger_than_the_floor_whatever_an_organization_stored()
    {
        var (owner, acme, _, _) = await TwoOrganizationsAsync();
        await owner.Security.UpdateAsync(Policy(retention: 1));
        var before = (await owner.Audit.ListAsync(new AuditQuery())).Total;

        (await world.SecurityLookup().PurgeExpiredAuditEntriesAsync(DateTime.UtcNow.AddDays(30), minimumRetentionDays: 365)).Should().BeEmpty();

        (await owner.Audit.ListAsync(new AuditQuery())).Total.Should().Be(before);
    }

    [Fact]
    public async Task Retention_purges_only_entries_older_than_the_period_audits_the_purge_and_keeps_the_chain_verifiable()
    {
        var (owner, mia, acme, other) = await TwoOrganizationsAsync();
        await owner.Notes.AddAsync("Old note");
        await Task.Delay(50);
        var between = DateTime.UtcNow;
        await Task.Delay(50);
        await owner.Notes.AddAsync("Recent note");
        await owner.Security.UpdateAsync(Policy(retention: 30));
        await mia.Organizations.EnterAsync(other);
        var otherBefore = (await mia.Audit.ListAsync(new AuditQuery())).Total;
        var before = (await owner.Audit.ListAsync(new AuditQuery(PageSize: 100))).Items;
        var oldCount = before.Count(e => e.OccurredAt < between);

        var purges = await world.SecurityLookup().PurgeExpiredAuditEntriesAsync(between.AddDays(30), minimumRetentionDays: 1);

        purges.Should().ContainSingle().Which.Should().Be(new AuditPurge(acme, oldCount, oldCount));
        var after = (await owner.Audit.ListAsync(new AuditQuery(PageSize: 100))).Items;
        after.Should().NotContain(e => e.OccurredAt < between);
        after.Where(e => e.Action != "audit.purged").Select(e => e.Sequence)
            .Should().BeEquivalentTo(before.Where(e => e.OccurredAt >= between).Select(e => e.Sequence));
        var record = after.Should().ContainSingle(e => e.Action == "audit.purged").Which;
        record.ActorUserId.Should().BeNull();
        record.Door.Should().Be(MultiOrg.Domain.Tenancy.Door.Job);
        JsonDocument.Parse(record.Changes).RootElement.GetProperty("entries").GetInt32().Should().Be(oldCount);
        (await owner.Audit.VerifyAsync()).Intact.Should().BeTrue();
        (await mia.Audit.ListAsync(new AuditQuery())).Total.Should().Be(otherBefore, "an organization without retention keeps everything");

        (await world.SecurityLookup().PurgeExpiredAuditEntriesAsync(between.AddDays(30), minimumRetentionDays: 1)).Should().BeEmpty("nothing more is old enough");
    }

    [Fact]
    public async Task A_tampered_retention_anchor_breaks_verification()
    {
        var (owner, _, acme, _) = await TwoOrganizationsAsync();
        await owner.Security.UpdateAsync(Policy(retention: 1));
        await world.SecurityLookup().PurgeExpiredAuditEntriesAsync(DateTime.UtcNow.AddDays(1).AddMinutes(1), minimumRetentionDays: 1);
        await owner.Notes.AddAsync("After the purge");
        (await owner.Audit.VerifyAsync()).Intact.Should().BeTrue();

        await using (var db = world.Database.CreateContext())
        {
            await db.Set<SecurityPolicy>().IgnoreQueryFilters().Where(p => p.OrganizationId == acme)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.AuditPurgedThroughHash, new byte[32]));
        }

        (await owner.Audit.VerifyAsync()).Intact.Should().BeFalse();
    }

    [Fact]
    public async Task Without_a_retention_period_the_log_is_kept_forever()
    {
        var (owner, _, _, _) = await TwoOrganizationsAsync();
        await owner.Security.UpdateAsync(Policy(twoFactor: false));
        var before = (await owner.Audit.ListAsync(new AuditQuery())).Total;

        (await world.SecurityLookup().PurgeExpiredAuditEntriesAsync(DateTime.UtcNow.AddYears(50), minimumRetentionDays: 1)).Should().BeEmpty();

        (await owner.Audit.ListAsync(new AuditQuery())).Total.Should().Be(before);
    }

    private async Task SetPasswordChangedAsync(Actor actor, DateTime when)
    {
        await using var db = world.Database.CreateContext();
        await db.Users.Where(u => u.Id == actor.UserId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.PasswordChangedAt, when).SetProperty(u => u.PasswordHash, "hash"));
    }
}
