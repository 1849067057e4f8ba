using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Tests.Support;
using MultiOrg.Web.Components.Layout;
using MultiOrg.Web.Components.Members;

namespace MultiOrg.Tests.Components;

/// <summary>The members page over a real database: each role sees only the buttons its permissions allow.</summary>
public sealed class MembersPageTests : ComponentTestBase
{
    private readonly TestWorld world = new();
    private Actor owner = null!;
    private Actor admin = null!;
    private Actor member = null!;
    private Guid organizationId;

    public override async Task InitializeAsync()
    {
        owner = await world.CreateUserAsync("Olivia");
        admin = await world.CreateUserAsync("Adam");
        member = await world.CreateUserAsync("Mia");
        organizationId = (await owner.Organizations.CreateAsync("Acme")).Id;
        await owner.Members.AddByEmailAsync(admin.Email, OrganizationRole.Admin);
        await owner.Members.AddByEmailAsync(member.Email);
        await admin.Organizations.EnterAsync(organizationId);
        await member.Organizations.EnterAsync(organizationId);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        world.Dispose();
    }

    private IRenderedComponent<MembersPage> RenderAs(Actor actor)
    {
        Context.Services.AddSingleton<TenantContext>(actor.Tenant);
        Context.Services.AddSingleton<MemberService>(actor.Members);
        Context.Services.AddSingleton(new UserOrganizations(actor.Organizations));
        var invitations = new InvitationWorld(world, actor);
        Context.Services.AddSingleton(invitations.Invitations);
        Context.Services.AddSingleton(invitations.Joining);
        Context.Services.AddSingleton(TimeProvider.System);
        Context.Render<MudPopoverProvider>();
        var cut = Context.Render<MembersPage>(p => p.Add(x => x.OrgId, organizationId));
        cut.WaitForAssertion(() => cut.FindAll("[data-testid='member-name']").Should().HaveCount(3), TimeSpan.FromSeconds(10));
        return cut;
    }

    [Fact]
    public void An_owner_adds_changes_roles_and_removes_everyone_but_themself()
    {
        var cut = RenderAs(owner);

        cut.FindAll("[data-testid='add-member']").Should().ContainSingle();
        cut.FindAll("[data-testid='member-role-select']").Should().HaveCount(3);
        cut.FindAll("[data-testid='remove-member']").Should().HaveCount(2);
        cut.FindAll("[data-testid='leave-org']").Should().ContainSingle();
        cut.Markup.Should().Contain("3 members");
    }

    [Fact]
    public void An_admin_adds_and_removes_members_but_changes_no_role_and_removes_no_owner()
    {
        var cut = RenderAs(admin);

        cut.FindAll("[data-testid='add-member']").Should().ContainSingle();
        cut.FindAll("[data-testid='member-role-select']").Should().BeEmpty();
        cut.FindAll("[data-testid='member-role']").Select(r => r.TextContent.Trim()).Should().BeEquivalentTo("OWNER", "ADMIN", "MEMBER");
        cut.FindAll("[data-testid='remove-member']").Should().ContainSingle("only the plain member can be removed by an admin");
    }

    [Fact]
    public void A_member_sees_the_list_and_can_only_leave()
    {
        var cut = RenderAs(member);

        cut.FindAll("[data-testid='add-member']").Should().BeEmpty();
        cut.FindAll("[data-testid='member-role-select']").Should().BeEmpty();
        cut.FindAll("[data-testid='remove-member']").Should().BeEmpty();
        cut.FindAll("[data-testid='leave-org']").Should().ContainSingle();
    }

    [Fact]
    public void Searching_narrows_the_list_on_the_server()
    {
        var cut = RenderAs(owner);

        cut.Find("input[data-testid='members-search']").Input("adam");

        cut.WaitForAssertion(() => cut.FindAll("[data-testid='member-name']").Select(n => n.TextContent.Trim())
            .Should().ContainSingle().Which.Should().StartWith("Adam"), TimeSpan.FromSeconds(10));
    }
}
