using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Events;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Security;
using MultiOrg.Domain.Support;
using MultiOrg.Domain.Users;
using MultiOrg.Web.Events;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Events;

/// <summary>The domain services publish to the one event port after their change committed, and only then.</summary>
public sealed class OrganizationEventsTests : IDisposable
{
    private readonly TestWorld world = new();
    private readonly ConcurrentQueue<OrganizationEvent> received = new();
    private readonly IDisposable subscription;

    public OrganizationEventsTests() => subscription = world.Events.Subscribe(received.Enqueue);

    public void Dispose()
    {
        subscription.Dispose();
        world.Dispose();
    }

    [Fact]
    public async Task Removing_a_member_publishes_MemberRemoved_once_the_membership_is_gone_from_the_database()
    {
        var (owner, acme) = await world.OrganizationAsync();
        var mia = await world.JoinAsync(owner, acme, "Mia", OrganizationRole.Member);
        bool? stillMemberWhenDelivered = null;
        using var check = world.Events.Subscribe(e =>
        {
            // Delivered after the commit: a reader on another connection already sees the removal.
            using var db = world.Database.CreateContext();
            stillMemberWhenDelivered = db.OrganizationMembers.IgnoreQueryFilters().Any(m => m.OrganizationId == acme && m.UserId == mia.UserId);
        });

        await owner.Members.RemoveAsync(mia.UserId);

        received.Should().ContainSingle().Which.Should().BeEquivalentTo(
            new { Kind = OrganizationEventKind.MemberRemoved, OrganizationId = acme, mia.UserId }, o => o.ExcludingMissingMembers());
        stillMemberWhenDelivered.Should().BeFalse();
    }

    [Fact]
    public async Task A_refused_removal_publishes_nothing()
    {
        var (owner, acme) = await world.OrganizationAsync();
        var admin = await world.JoinAsync(owner, acme, "Adam", OrganizationRole.Admin);

        var removeOwner = () => admin.Members.RemoveAsync(owner.UserId);

        await removeOwner.Should().ThrowAsync<DomainException>();
        received.Should().BeEmpty();
    }

    [Fact]
    public async Task Role_changes_and_bulk_removals_publish_one_event_per_person_changed()
    {
        var (owner, acme) = await world.OrganizationAsync();
        var mia = await world.JoinAsync(owner, acme, "Mia", OrganizationRole.Member);
        var sam = await world.JoinAsync(owner, acme, "Sam", OrganizationRole.Member);
        var ann = await world.JoinAsync(owner, acme, "Ann", OrganizationRole.Member);

        await owner.Members.ChangeRoleAsync(mia.UserId, OrganizationRole.Admin);
        await owner.Members.ChangeRolesAsync([sam.UserId, ann.UserId, mia.UserId], OrganizationRole.Admin);
        await owner.Members.RemoveManyAsync([sam.UserId, ann.UserId, "not-a-member"]);

        received.Select(e => (e.Kind, e.UserId)).Should().Equal(
            (OrganizationEventKind.RoleChanged, mia.UserId),
            (OrganizationEventKind.RoleChanged, sam.UserId),
            (OrganizationEventKind.RoleChanged, ann.UserId),
            (OrganizationEventKind.MemberRemoved, sam.UserId),
            (OrganizationEventKind.MemberRemoved, ann.UserId));
        received.Should().OnlyContain(e => e.OrganizationId == acme);
    }

    [Fact]
    public async Task Leaving_deleting_signing_out_everywhere_and_changing_the_policy_each_publish_their_event()
    {
        var (owner, acme) = await world.OrganizationAsync();
        var mia = await world.JoinAsync(owner, acme, "Mia", OrganizationRole.Member);
        var sam = await world.JoinAsync(owner, acme, "Sam", OrganizationRole.Member);

        await mia.Members.LeaveAsync();
        await owner.Sessions.SignOutMemberEverywhereAsync(sam.UserId);
        await owner.Security.UpdateAsync(new SecurityPolicyInput(false, 8, false, false, false, 30, null, null));
        await owner.Organizations.DeleteAsync();

        received.Select(e => (e.Kind, e.OrganizationId, e.UserId)).Should().Equal(
            (OrganizationEventKind.MemberRemoved, acme, mia.UserId),
            (OrganizationEventKind.SignedOutEverywhere, acme, sam.UserId),
            (OrganizationEventKind.PolicyChanged, acme, (string?)null),
            (OrganizationEventKind.OrganizationDeleted, acme, (string?)null));
    }

    [Fact]
    public async Task Ending_an_impersonation_publishes_the_session_that_ended_for_the_support_users_other_tabs()
    {
        var (_, acme) = await world.OrganizationAsync();
        var agent = await world.CreateUserAsync("Agent");
        await world.GrantAsync(agent, GlobalRole.Support);
        var grant = await agent.Support.StartImpersonationAsync(new ImpersonationRequest(acme, "Ticket 42: cannot see invoices"));

        await agent.Support.EndImpersonationAsync();

        var ended = received.Should().ContainSingle().Subject;
        ended.Should().BeEquivalentTo(new
        {
            Kind = OrganizationEventKind.ImpersonationEnded,
            OrganizationId = acme,
            agent.UserId,
            ImpersonationSessionId = (Guid?)grant.SessionId,
        }, o => o.ExcludingMissingMembers());
    }

    [Theory]
    [InlineData(OrganizationEventKind.MemberRemoved, "mia", null, true)]
    [InlineData(OrganizationEventKind.MemberRemoved, "sam", "acme", false)]
    [InlineData(OrganizationEventKind.OrganizationDeleted, "sam", "acme", true)]
    [InlineData(OrganizationEventKind.OrganizationDeleted, "mia", "other", false)]
    [InlineData(OrganizationEventKind.PolicyChanged, "sam", "acme", true)]
    [InlineData(OrganizationEventKind.PolicyChanged, "sam", null, false)]
    [InlineData(OrganizationEventKind.EventsInterrupted, "sam", "other", true)]
    [InlineData(OrganizationEventKind.EventsInterrupted, "sam", null, true)]
    public void An_event_concerns_the_person_it_names_or_everyone_inside_the_organization_it_names(
        OrganizationEventKind kind, string userId, string? currentOrganization, bool concerns)
    {
        var acme = Guid.NewGuid();
        var current = currentOrganization switch { "acme" => acme, null => (Guid?)null, _ => Guid.NewGuid() };
        var change = new OrganizationEvent(kind, acme, kind is OrganizationEventKind.MemberRemoved ? "mia" : null);

        change.Concerns(userId, current).Should().Be(concerns);
    }

    [Fact]
    public async Task A_failing_subscriber_does_not_stop_the_others_and_a_disposed_one_hears_nothing_more()
    {
        var events = new InProcessOrganizationEvents(NullLogger<InProcessOrganizationEvents>.Instance);
        var heard = new List<OrganizationEventKind>();
        using var failing = events.Subscribe(_ => throw new ObjectDisposedException("circuit"));
        using var listening = events.Subscribe(e => heard.Add(e.Kind));
        var leaving = events.Subscribe(e => heard.Add(e.Kind));

        await events.PublishAsync(new OrganizationEvent(OrganizationEventKind.RoleChanged, Guid.NewGuid(), "mia"));
        leaving.Dispose();
        await events.PublishAsync(new OrganizationEvent(OrganizationEventKind.PolicyChanged, Guid.NewGuid()));

        heard.Should().Equal(OrganizationEventKind.RoleChanged, OrganizationEventKind.RoleChanged, OrganizationEventKind.PolicyChanged);
        events.Subscribers.Should().Be(2);
    }
}
