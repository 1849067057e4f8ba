using Microsoft.EntityFrameworkCore;
using MultiOrg.Data;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Support;
using MultiOrg.Domain.Users;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Support;

public sealed class SupportServiceTests : IDisposable
{
    private readonly TestWorld world = new();

    public void Dispose() => world.Dispose();

    private async Task<SupportService> SupportAsync(GlobalRole role)
    {
        var agent = await world.CreateUserAsync("Agent");
        await using (var db = world.Database.CreateContext())
        {
            await db.Users.Where(u => u.Id == agent.UserId).ExecuteUpdateAsync(s => s.SetProperty(u => u.GlobalRole, role));
        }

        return agent.Support;
    }

    [Fact]
    public async Task Support_finds_organizations_by_name_id_or_member_email_across_tenants()
    {
        var olivia = await world.CreateUserAsync("Olivia");
        var bob = await world.CreateUserAsync("Bob");
        var acme = await olivia.Organizations.CreateAsync("Acme Corp");
        await bob.Organizations.CreateAsync("Bobs Bikes");
        var support = await SupportAsync(GlobalRole.Support);

        (await support.SearchOrganizationsAsync("acme")).Select(o => o.Name).Should().Equal("Acme Corp");
        (await support.SearchOrganizationsAsync(acme.Id.ToString())).Should().ContainSingle().Which.MemberCount.Should().Be(1);
        (await support.SearchOrganizationsAsync(bob.Email[..10])).Select(o => o.Name).Should().Equal("Bobs Bikes");
    }

    [Fact]
    public async Task Ordinary_users_are_refused_and_short_queries_are_explained()
    {
        var user = await SupportAsync(GlobalRole.User);
        var support = await SupportAsync(GlobalRole.SystemAdmin);

        var byUser = () => user.SearchOrganizationsAsync("acme");
        var tooShort = () => support.SearchOrganizationsAsync("a");

        (await byUser.Should().ThrowAsync<DomainException>()).Which.Kind.Should().Be(DomainErrorKind.Forbidden);
        (await tooShort.Should().ThrowAsync<DomainException>()).Which.Field.Should().Be("query");
    }
}
