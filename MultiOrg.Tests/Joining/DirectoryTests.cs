using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Joining;
using MultiOrg.Domain.Organizations;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Joining;

/// <summary>Visibility and the directory: only public organizations are listed or found, and the one membership mode decides a join.</summary>
public sealed class DirectoryTests : IAsyncLifetime
{
    private readonly TestWorld world = new();
    private readonly Mailbox mailbox = new();
    private Actor publicOwner = null!;
    private Actor visitor = null!;
    private Guid publicId;
    private Guid privateId;
    private Guid hiddenId;

    public async Task InitializeAsync()
    {
        (publicOwner, publicId) = await world.OrganizationAsync("Open Source Club", "Paula");
        await Policy(publicOwner).SetVisibilityAsync(OrganizationVisibility.Public);
        await publicOwner.Profile.UpdateAsync(new OrganizationProfile("We meet on Tuesdays.", OrganizationType.Community, null, new ContactDetails(), new ContactDetails()));
        (_, privateId) = await world.OrganizationAsync("Private Club", "Priya");
        Actor hiddenOwner;
        (hiddenOwner, hiddenId) = await world.OrganizationAsync("Hidden Club", "Hugo");
        await Policy(hiddenOwner).SetVisibilityAsync(OrganizationVisibility.Hidden);
        visitor = await world.CreateUserAsync("Vera");
    }

    public Task DisposeAsync()
    {
        mailbox.Dispose();
        world.Dispose();
        return Task.CompletedTask;
    }

    private JoinPolicyService Policy(Actor actor) => new InvitationWorld(world, actor, mailbox).Joining;

    [Fact]
    public async Task The_directory_lists_and_searches_public_organizations_only()
    {
        var all = await visitor.Directory.SearchAsync(null);
        all.Items.Select(o => o.Name).Should().Equal("Open Source Club");
        all.Total.Should().Be(1);

        (await visitor.Directory.SearchAsync("club")).Items.Select(o => o.Id).Should().Equal(publicId);
        (await visitor.Directory.SearchAsync("Hidden")).Items.Should().BeEmpty();
        (await visitor.Directory.SearchAsync("Private")).Items.Should().BeEmpty();
        (await visitor.Directory.SearchAsync("tuesdays")).Items.Select(o => o.Id).Should().Equal(publicId);
    }

    [Fact]
    public async Task A_private_or_hidden_organization_answers_exactly_as_a_missing_one()
    {
        var messages = new List<(DomainErrorKind, string, string?)>();
        foreach (var id in new[] { privateId, hiddenId, Guid.NewGuid() })
        {
            var get = await Assert.ThrowsAsync<DomainException>(() => visitor.Directory.GetAsync(id));
            var join = await Assert.ThrowsAsync<DomainException>(() => visitor.Directory.JoinAsync(id));
            messages.Add((get.Kind, get.Message, get.Field));
            messages.Add((join.Kind, join.Message, join.Field));
        }

        messages.Distinct().Should().ContainSingle().Which.Should().Be((DomainErrorKind.NotFound, DirectoryService.NotFound, (string?)null));
    }

    [Fact]
    public async Task Open_mode_joins_a_public_organization_as_member_at_once()
    {
        await Policy(publicOwner).SetModeAsync(MembershipMode.Open);

        var outcome = await visitor.Directory.JoinAsync(publicId);

        outcome.Result.Should().Be(SelfJoinResult.Joined);
        (await world.RolesAsync(publicId))[visitor.UserId].Should().Be(OrganizationRole.Member);
        (await visitor.Directory.GetAsync(publicId)).IsMember.Should().BeTrue();
        (await Assert.ThrowsAsync<DomainException>(() => visitor.Directory.JoinAsync(publicId))).Kind.Should().Be(DomainErrorKind.Conflict);
    }

    [Fact]
    public async Task Approval_mode_files_a_request_the_owner_approves()
    {
        await Policy(publicOwner).SetModeAsync(MembershipMode.ApprovalRequired);

        (await visitor.Directory.JoinAsync(publicId)).Result.Should().Be(SelfJoinResult.Requested);
        (await world.RolesAsync(publicId)).Should().NotContainKey(visitor.UserId);
        (await Assert.ThrowsAsync<DomainException>(() => visitor.Directory.JoinAsync(publicId))).Message.Should().Contain("already asked");

        var request = (await Policy(publicOwner).ListRequestsAsync()).Should().ContainSingle().Subject;
        await Policy(publicOwner).ApproveAsync(request.Id);
        (await world.RolesAsync(publicId))[visitor.UserId].Should().Be(OrganizationRole.Member);
    }

    [Fact]
    public async Task Invite_only_mode_lists_the_organization_but_refuses_a_join()
    {
        var error = await Assert.ThrowsAsync<DomainException>(() => visitor.Directory.JoinAsync(publicId));

        error.Kind.Should().Be(DomainErrorKind.Forbidden);
        error.Message.Should().Contain("invitation only");
        (await Policy(publicOwner).ListRequestsAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task A_hidden_organization_ignores_its_verified_domains()
    {
        var owner = await world.CreateUserAsync("Olga", "olga@hidden.example");
        var organizationId = (await owner.Organizations.CreateAsync("Hidden Co")).Id;
        var policy = Policy(owner);
        await policy.AddDomainAsync("hidden.example");
        await policy.SetModeAsync(MembershipMode.Open);
        await policy.SetVisibilityAsync(OrganizationVisibility.Hidden);

        var person = await world.CreateUserAsync("Ida", "ida@hidden.example");
        await new InvitationWorld(world, person, mailbox).AutoJoin.OnEmailConfirmedAsync(person.UserId);

        (await world.RolesAsync(organizationId)).Should().NotContainKey(person.UserId, "a hidden organization is joined through an invitation only");
    }
}
