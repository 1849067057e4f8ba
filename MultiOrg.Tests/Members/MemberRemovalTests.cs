using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.ApiKeys;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Invitations;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Teams;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Members;

/// <summary>Removing a member settles what they own (API keys they created, invitations they sent) in the same transaction.</summary>
public sealed class MemberRemovalTests : IAsyncLifetime
{
    private readonly TestWorld world = new();
    private readonly Mailbox mailbox = new();
    private Actor owner = null!;
    private Actor admin = null!;
    private Actor heir = null!;
    private Guid organizationId;
    private Guid keyId;

    public async Task InitializeAsync()
    {
        (owner, organizationId) = await world.OrganizationAsync();
        admin = await world.JoinAsync(owner, organizationId, "Adam", OrganizationRole.Admin);
        heir = await world.JoinAsync(owner, organizationId, "Hana", OrganizationRole.Member);
        keyId = (await admin.ApiKeys.CreateAsync("Adam's sync", OrganizationRole.Admin)).Key.Id;
        await new InvitationWorld(world, admin, mailbox).Invitations.InviteAsync([new InviteRow(1, "newbie@example.test")]);
        var team = await owner.Teams.CreateTeamAsync("Ops", null);
        await owner.Teams.SetLeaderAsync(team.Id, admin.UserId, true);
    }

    public Task DisposeAsync()
    {
        mailbox.Dispose();
        world.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Removal_lists_what_the_member_owns()
    {
        var owned = await owner.Members.GetOwnedItemsAsync(admin.UserId);

        owned.ApiKeys.Select(k => k.Name).Should().Equal("Adam's sync");
        owned.Invitations.Select(i => i.Name).Should().Equal("newbie@example.test");
    }

    [Fact]
    public async Task Handing_over_moves_keys_and_invitations_to_the_heir_capped_at_their_role()
    {
        await owner.Members.RemoveAsync(admin.UserId, new OwnedItemsChoice(OwnedItemsAction.HandOver, heir.UserId));

        var (key, invitation, teamPlaces) = await ReadAsync();
        key.CreatedByUserId.Should().Be(heir.UserId);
        key.RevokedAt.Should().BeNull();
        key.Role.Should().Be(OrganizationRole.Member, "a key never reaches further than the person it acts for");
        invitation.InvitedByUserId.Should().Be(heir.UserId);
        invitation.Status.Should().Be(InvitationStatus.Pending);
        teamPlaces.Should().Be(0);
        (await world.RolesAsync(organizationId)).Should().NotContainKey(admin.UserId);
    }

    [Fact]
    public async Task Revoking_revokes_keys_and_invitations_with_the_removal()
    {
        await owner.Members.RemoveAsync(admin.UserId, new OwnedItemsChoice(OwnedItemsAction.Revoke));

        var (key, invitation, _) = await ReadAsync();
        key.RevokedAt.Should().BeCloseTo(DateTime.UtcNow, TimeSpan.FromMinutes(1), "the removal revoked the key just now");
        key.CreatedByUserId.Should().Be(admin.UserId);
        invitation.Status.Should().Be(InvitationStatus.Revoked);
        (await world.RolesAsync(organizationId)).Should().NotContainKey(admin.UserId);
    }

    [Fact]
    public async Task A_refused_hand_over_changes_nothing_at_all()
    {
        var (outsider, _) = await world.OrganizationAsync("Globex", "Gus");

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            owner.Members.RemoveAsync(admin.UserId, new OwnedItemsChoice(OwnedItemsAction.HandOver, outsider.UserId)));

        error.Field.Should().Be("handOverTo");
        var (key, invitation, teamPlaces) = await ReadAsync();
        key.CreatedByUserId.Should().Be(admin.UserId);
        key.RevokedAt.Should().BeNull();
        invitation.Status.Should().Be(InvitationStatus.Pending);
        teamPlaces.Should().Be(1);
        (await world.RolesAsync(organizationId)).Should().ContainKey(admin.UserId, "the removal and the hand-over are one transaction");
    }

    [Fact]
    public async Task Handing_over_to_the_leaving_member_is_refused_naming_the_field()
    {
        var error = await Assert.ThrowsAsync<DomainException>(() =>
            owner.Members.RemoveAsync(admin.UserId, new OwnedItemsChoice(OwnedItemsAction.HandOver, admin.UserId)));

        error.Field.Should().Be("handOverTo");
        (await world.RolesAsync(organizationId)).Should().ContainKey(admin.UserId);
    }

    private async Task<(ApiKey Key, Invitation Invitation, int TeamPlaces)> ReadAsync()
    {
        await using var db = world.Database.CreateContext();
        var key = await db.Set<ApiKey>().IgnoreQueryFilters().SingleAsync(k => k.Id == keyId);
        var invitation = await db.Set<Invitation>().IgnoreQueryFilters().SingleAsync(i => i.OrganizationId == organizationId);
        var places = await db.Set<TeamMember>().IgnoreQueryFilters().CountAsync(t => t.UserId == admin.UserId);
        return (key, invitation, places);
    }
}
