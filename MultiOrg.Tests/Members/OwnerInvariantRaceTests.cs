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

    /// <summary>
    /// Twenty-five owners each leave and demote the next owner, all fifty at once. Each owner's leave fails only when
    /// they are the last owner, so exactly one owner is left: any other number means two transactions read the owner
    /// count before either wrote (what the organization's write lock prevents on a server database).
    /// </summary>
    [Fact]
    public async Task Fifty_demotions_and_leaves_at_once_leave_exactly_one_owner()
    {
        const int owners = 25;
        var first = await world.CreateUserAsync("Owner 0");
        var organization = await first.Organizations.CreateAsync("Crowded Ltd");
        await world.Database.SubscribeAsync(organization.Id, world.Plans.Find("business")!, world.Time.GetUtcNow().UtcDateTime);
        var people = new List<Actor> { first };
        for (var i = 1; i < owners; i++)
        {
            var owner = await world.CreateUserAsync($"Owner {i}");
            await first.Members.AddByEmailAsync(owner.Email, OrganizationRole.Owner);
            people.Add(owner);
        }

        // Each operation is its own request, in its own scope, entered before the race starts.
        var operations = new List<Func<Task>>();
        for (var i = 0; i < owners; i++)
        {
            var leaving = await EnteredAsync(people[i], organization.Id);
            var demoting = await EnteredAsync(people[i], organization.Id);
            var next = people[(i + 1) % owners].UserId;
            operations.Add(() => leaving.Members.LeaveAsync());
            operations.Add(() => demoting.Members.ChangeRoleAsync(next, OrganizationRole.Member));
        }

        var outcomes = await Race.RunAsync(operations);

        var left = await OwnersAsync(organization.Id);
        left.Should().Be(1, "fifty demotions and leaves ({0}) must leave exactly one owner", Race.Tally(outcomes));
        outcomes.OfType<Exception>().Should().AllBeOfType<DomainException>("a lost race is a refusal, never an error ({0})", Race.Tally(outcomes));
    }

    private async Task<Actor> EnteredAsync(Actor person, Guid organizationId)
    {
        var scope = world.NewScope(person.UserId, person.Email);
        await scope.Organizations.EnterAsync(organizationId);
        return scope;
    }
}
