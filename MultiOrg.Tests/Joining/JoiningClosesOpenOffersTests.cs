using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Invitations;
using MultiOrg.Domain.Joining;
using MultiOrg.Domain.Organizations;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Joining;

/// <summary>Whichever way a person joins, their other pending requests and invitations for that organization are closed.</summary>
public sealed class JoiningClosesOpenOffersTests : IAsyncLifetime
{
    private readonly TestWorld world = new();
    private readonly Mailbox mailbox = new();
    private Actor owner = null!;
    private InvitationWorld owners = null!;
    private Guid organizationId;

    public async Task InitializeAsync()
    {
        owner = await world.CreateUserAsync("Olivia", "olivia@acme.example");
        organizationId = (await owner.Organizations.CreateAsync("Acme")).Id;
        owners = new InvitationWorld(world, owner, mailbox);
        await owners.Joining.AddDomainAsync("acme.example");
        await owners.Joining.SetModeAsync(MembershipMode.ApprovalRequired);
    }

    public Task DisposeAsync()
    {
        mailbox.Dispose();
        world.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Sam confirmed his address (a join request is filed) and is invited as well.</summary>
    private async Task<(Actor Sam, InvitationWorld Services)> RequestedAndInvitedAsync()
    {
        var sam = await world.CreateUserAsync("Sam Solo", "sam@acme.example");
        var services = new InvitationWorld(world, sam, mailbox);
        await services.AutoJoin.OnEmailConfirmedAsync(sam.UserId);
        await owners.Invitations.InviteAsync([new InviteRow(1, "sam@acme.example", "MEMBER")]);
        (await owners.Joining.ListRequestsAsync()).Should().ContainSingle("the confirmation filed a request");
        (await owners.Invitations.ListPendingAsync()).Should().ContainSingle("the invitation is open");
        return (sam, services);
    }

    private async Task<Dictionary<string, JoinRequestStatus>> RequestStatusesAsync()
    {
        await using var db = world.Database.CreateContext(owner.Tenant);
        return await db.Set<JoinRequest>().ToDictionaryAsync(r => r.Email, r => r.Status);
    }

    [Fact]
    public async Task Accepting_an_invitation_closes_the_persons_pending_join_request()
    {
        var (sam, services) = await RequestedAndInvitedAsync();

        await services.Inbox.AcceptAsync((await services.Inbox.ListMineAsync()).Single().Id);

        (await sam.Organizations.ListMineAsync()).Should().ContainSingle(o => o.Id == organizationId);
        (await owners.Joining.ListRequestsAsync()).Should().BeEmpty("Sam is a member now: his request has nothing left to decide");
        (await RequestStatusesAsync())["sam@acme.example"].Should().Be(JoinRequestStatus.Approved);
    }

    [Fact]
    public async Task Approving_a_join_request_closes_the_persons_pending_invitation()
    {
        var (sam, services) = await RequestedAndInvitedAsync();

        await owners.Joining.ApproveAsync((await owners.Joining.ListRequestsAsync()).Single().Id);

        (await sam.Organizations.ListMineAsync()).Should().ContainSingle(o => o.Id == organizationId);
        (await owners.Invitations.ListPendingAsync()).Should().BeEmpty("the invitation would hold a seat for someone who is in");
        (await services.Inbox.ListMineAsync()).Should().BeEmpty("Sam is not offered to join where he is a member");
    }

    [Fact]
    public async Task Adding_a_person_by_email_closes_their_pending_join_request_and_invitation()
    {
        var (sam, _) = await RequestedAndInvitedAsync();

        await owner.Members.AddByEmailAsync(sam.Email);

        (await owners.Joining.ListRequestsAsync()).Should().BeEmpty();
        (await owners.Invitations.ListPendingAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Domain_auto_join_closes_a_pending_invitation()
    {
        await owners.Joining.SetModeAsync(MembershipMode.Open);
        await owners.Invitations.InviteAsync([new InviteRow(1, "nina@acme.example", "MEMBER")]);
        var nina = await world.CreateUserAsync("Nina", "nina@acme.example");

        await new InvitationWorld(world, nina, mailbox).AutoJoin.OnEmailConfirmedAsync(nina.UserId);

        (await nina.Organizations.ListMineAsync()).Should().ContainSingle(o => o.Id == organizationId).Which.Role.Should().Be(OrganizationRole.Member);
        (await owners.Invitations.ListPendingAsync()).Should().BeEmpty("Nina joined through her verified domain");
    }

    [Fact]
    public async Task Joining_from_the_directory_closes_a_pending_invitation()
    {
        await owners.Joining.SetModeAsync(MembershipMode.Open);
        await owners.Joining.SetVisibilityAsync(OrganizationVisibility.Public);
        var omar = await world.CreateUserAsync("Omar", "omar@elsewhere.example");
        await owners.Invitations.InviteAsync([new InviteRow(1, omar.Email, "MEMBER")]);

        await omar.Directory.JoinAsync(organizationId);

        (await omar.Organizations.ListMineAsync()).Should().ContainSingle(o => o.Id == organizationId);
        (await owners.Invitations.ListPendingAsync()).Should().BeEmpty("Omar joined from the directory");
    }
}
