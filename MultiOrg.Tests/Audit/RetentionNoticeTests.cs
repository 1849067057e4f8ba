using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MultiOrg.Domain.Audit;
using MultiOrg.Domain.Security;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Audit;

/// <summary>
/// A shorter retention takes effect only when its notice period has run out, through the retention job; a deleted
/// organization's trail is kept for the minimum retention and then goes whole.
/// </summary>
public sealed class RetentionNoticeTests : IDisposable
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
    private readonly TestWorld world = new();

    public RetentionNoticeTests() => world.Time = clock;

    public void Dispose() => world.Dispose();

    private SecurityPolicyService Security(Actor actor) =>
        actor.Create<SecurityPolicyService>(clock, Options.Create(new AuditOptions { MinimumRetentionDays = 1, RetentionNoticeDays = 7 }));

    private static SecurityPolicyInput Retention(int? days) => new(false, SecurityPolicy.MinPasswordLength, false, false, false, null, [], days);

    [Fact]
    public async Task A_shortening_takes_effect_when_its_notice_period_has_run_out_and_not_before()
    {
        var (owner, _) = await world.OrganizationAsync("Noticed");
        var asked = clock.GetUtcNow().UtcDateTime;
        var pending = await Security(owner).UpdateAsync(Retention(30));

        await world.SecurityLookup().PurgeExpiredAuditEntriesAsync(asked.AddDays(7).AddMinutes(-1), minimumRetentionDays: 1);
        var justBefore = await Security(owner).GetAsync();
        await world.SecurityLookup().PurgeExpiredAuditEntriesAsync(asked.AddDays(7), minimumRetentionDays: 1);
        var after = await Security(owner).GetAsync();

        pending.Should().BeEquivalentTo(new { AuditRetentionDays = (int?)null, PendingAuditRetentionDays = 30, PendingAuditRetentionAt = asked.AddDays(7) });
        justBefore.Should().BeEquivalentTo(new { AuditRetentionDays = (int?)null, PendingAuditRetentionDays = 30 }, "a minute before the notice runs out");
        after.Should().BeEquivalentTo(new { AuditRetentionDays = 30, PendingAuditRetentionDays = (int?)null, PendingAuditRetentionAt = (DateTime?)null });
    }

    [Fact]
    public async Task A_cancelled_shortening_never_takes_effect()
    {
        var (owner, _) = await world.OrganizationAsync("Cancelled");
        var asked = clock.GetUtcNow().UtcDateTime;
        await Security(owner).UpdateAsync(Retention(30));

        await Security(owner).CancelPendingRetentionAsync();
        await world.SecurityLookup().PurgeExpiredAuditEntriesAsync(asked.AddDays(60), minimumRetentionDays: 1);

        (await Security(owner).GetAsync()).Should().BeEquivalentTo(new { AuditRetentionDays = (int?)null, PendingAuditRetentionDays = (int?)null });
        (await owner.Audit.VerifyAsync()).Should().BeEquivalentTo(new { Intact = true }, "nothing was purged and the chain holds");
    }

    [Fact]
    public async Task A_deleted_organizations_trail_is_kept_for_the_minimum_retention_and_then_goes_whole()
    {
        var (owner, doomed) = await world.OrganizationAsync("Doomed");
        var (_, living) = await world.OrganizationAsync("Living");
        await owner.Organizations.DeleteAsync();
        var deletedAt = DateTime.UtcNow;
        async Task<int> EntriesAsync(Guid organization)
        {
            await using var db = world.Database.CreateContext();
            return await db.AuditEntries.IgnoreQueryFilters().CountAsync(a => a.OrganizationId == organization);
        }

        var kept = await world.SecurityLookup().PurgeDeletedOrganizationsAsync(deletedAt.AddDays(365).AddMinutes(-1), minimumRetentionDays: 365);
        var entriesKept = await EntriesAsync(doomed);
        var removed = await world.SecurityLookup().PurgeDeletedOrganizationsAsync(deletedAt.AddDays(365).AddMinutes(1), minimumRetentionDays: 365);

        kept.Should().Be(0);
        entriesKept.Should().BeGreaterThan(1, "the trail, its deletion included, outlives the organization");
        removed.Should().Be(1);
        (await EntriesAsync(doomed)).Should().Be(0);
        (await EntriesAsync(living)).Should().BeGreaterThan(0, "only the deleted organization's trail goes");
        await using var check = world.Database.CreateContext();
        (await check.Set<DeletedOrganization>().AnyAsync(d => d.Id == doomed)).Should().BeFalse();
    }
}
