using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Members;

/// <summary>Two owners acting at the same moment must never leave an organization without an owner.</summary>
public sealed class OwnerInvariantRaceTests : IDisposable
{
    private readonly TestWorld world = new();

    public void Dispose() => world.Dispose();

    private async Task<(Actor A, Actor B, Guid OrganizationId)> TwoOwnersAsync()
    {
        var a = await world.CreateUserAsync("Ann");
        var b = await world.CreateUserAsync("Ben");
        var organization = await a.Organizations.CreateAsync("Race Ltd");
        await a.Members.AddByEmailAsync(b.Email, OrganizationRole.Owner);
        await b.Organizations.EnterAsync(organization.Id);
        return (a, b, organization.Id);
    }

    private async Task<int> OwnersAsync(Guid organizationId)
    {
        await using var db = world.Database.CreateContext();
        return await db.OrganizationMembers.CountAsync(m => m.OrganizationId == organizationId && m.Role == OrganizationRole.Owner);
    }

    private static async Task<Exception?[]> RaceAsync(Func<Task> first, Func<Task> second)
    {
        using var start = new ManualResetEventSlim(false);
        async Task<Exception?> Run(Func<Task> action)
        {
            await Task.Yield();
            start.Wait();
            try
            {
                await action();
                return null;
            }
            catch (Exception e)
            {
                return e;
            }
        }

        var tasks = new[] { Task.Run(() => Run(first)), Task.Run(() => Run(second)) };
        start.Set();
        return await Task.WhenAll(tasks);
    }

    [Fact]
    public async Task Two_owners_demoting_each_other_at_once_leave_exactly_one_owner()
    {
        for (var round = 0; round < 10; round++)
        {
            var (a, b, organizationId) = await TwoOwnersAsync();

            var errors = await RaceAsync(
                () => a.Members.ChangeRoleAsync(b.UserId, OrganizationRole.Member),
                () => b.Members.ChangeRoleAsync(a.UserId, OrganizationRole.Member));

            (await OwnersAsync(organizationId)).Should().Be(1, "round {0} must keep one owner", round);
            errors.Count(e => e is null).Should().Be(1, "exactly one demotion wins in round {0}", round);
            errors.Single(e => e is not null).Should().BeOfType<DomainException>();
        }
    }

    [Fact]
    public async Task Two_owners_leaving_at_once_leave_exactly_one_owner()
    {
        for (var round = 0; round < 10; round++)
        {
            var (a, b, organizationId) = await TwoOwnersAsync();

            var errors = await RaceAsync(() => a.Members.LeaveAsync(), () => b.Members.LeaveAsync());

            (await OwnersAsync(organizationId)).Should().Be(1);
            errors.Where(e => e is not null).Should().ContainSingle()
                .Which.Should().BeOfType<DomainException>().Which.Message.Should().Be("Transfer ownership before leaving");
        }
    }
}
