using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MultiOrg.Domain.Joining;
using MultiOrg.Tests.Harness;
using MultiOrg.Web.Features.Joining;

namespace MultiOrg.Tests.Joining;

/// <summary>The join requests panel of the members page, over the real database.</summary>
[Trait(TestDatabase.Trait, TestDatabase.Independent)]
public sealed class JoinRequestsPanelTests : ComponentTestBase
{
    private readonly TestWorld world = new();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        world.Dispose();
    }

    [Fact]
    public async Task Approving_the_request_of_someone_already_a_member_says_so_instead_of_joined()
    {
        var owner = await world.CreateUserAsync("Olivia", "olivia@acme.example");
        var organizationId = (await owner.Organizations.CreateAsync("Acme")).Id;
        var sam = await world.CreateUserAsync("Sam Solo", "sam@acme.example");
        await owner.Members.AddByEmailAsync(sam.Email);

        // A request left open from before joining closed them (or filed in the same instant as an invitation was accepted).
        await using (var db = world.Database.CreateContext(owner.Tenant))
        {
            db.Set<JoinRequest>().Add(new JoinRequest { UserId = sam.UserId, Email = sam.Email });
            await db.SaveChangesAsync();
        }

        var owners = new InvitationWorld(world, owner);
        Context.Services.AddSingleton(owners.Joining);
        Context.Services.AddSingleton(owner.Tenant);
        RenderProviders();
        var cut = Context.Render<JoinRequests>();
        cut.WaitForAssertion(() => cut.FindAll("[data-testid='approve-request']").Should().ContainSingle(), Loaded);

        cut.Find("[data-testid='approve-request']").Click();

        Snackbars.WaitForAssertion(() => Snackbars.Markup.Should().Contain("Sam Solo is already a member").And.NotContain("joined as MEMBER"), Loaded);
        cut.WaitForAssertion(() => cut.FindAll("[data-testid='join-requests-empty']").Should().ContainSingle(), Loaded);
        (await world.RolesAsync(organizationId)).Should().HaveCount(2, "nobody was added twice");
    }
}
