using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Users;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Security;

public sealed class AccountClosureTests : IDisposable
{
    private readonly TestWorld world = new();

    public void Dispose() => world.Dispose();

    [Fact]
    public async Task Deleting_an_account_is_blocked_while_it_is_the_only_owner_of_an_organization()
    {
        var olivia = await world.CreateUserAsync("Olivia");
        var bob = await world.CreateUserAsync("Bob");
        await olivia.Organizations.CreateAsync("Solo Owned");
        await olivia.Organizations.CreateAsync("Shared Owned");
        await olivia.Members.AddByEmailAsync(bob.Email, OrganizationRole.Owner);
        var closure = olivia.Get<AccountClosureService>();

        var blocking = await closure.OrganizationsOnlyOwnedByAsync(olivia.UserId);

        blocking.Should().Equal("Solo Owned");
        (await closure.OrganizationsOnlyOwnedByAsync(bob.UserId)).Should().BeEmpty();
    }
}
