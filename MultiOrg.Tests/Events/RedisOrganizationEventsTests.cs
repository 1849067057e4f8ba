using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using MultiOrg.Domain.Events;
using MultiOrg.Web.Events;
using StackExchange.Redis;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Events;

/// <summary>The Redis event port between two "servers" (each its own connection and local subscribers) over a real redis-server.</summary>
public sealed class RedisOrganizationEventsTests : IAsyncLifetime
{
    private RedisServer redis = null!;
    private readonly List<IAsyncDisposable> servers = [];

    public async Task InitializeAsync() => redis = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var server in servers)
        {
            await server.DisposeAsync();
        }

        await redis.DisposeAsync();
    }

    private async Task<(RedisOrganizationEvents Events, ConcurrentQueue<OrganizationEvent> Heard)> ServerAsync(string options = "")
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration + options);
        var local = new InProcessOrganizationEvents(NullLogger<InProcessOrganizationEvents>.Instance);
        var events = new RedisOrganizationEvents(connection, local, NullLogger<RedisOrganizationEvents>.Instance);
        await events.StartAsync(CancellationToken.None);
        servers.Add(connection);
        var heard = new ConcurrentQueue<OrganizationEvent>();
        events.Subscribe(heard.Enqueue);
        return (events, heard);
    }

    [Fact]
    public async Task An_event_published_on_one_server_reaches_the_other_servers_subscribers_and_its_own_once()
    {
        var (a, heardOnA) = await ServerAsync();
        var (b, heardOnB) = await ServerAsync();
        var acme = Guid.NewGuid();
        var removed = new OrganizationEvent(OrganizationEventKind.MemberRemoved, acme, "mia");

        var clock = Stopwatch.StartNew();
        await a.PublishAsync(removed);
        while (heardOnB.IsEmpty && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(5);
        }

        var elapsed = clock.Elapsed;
        heardOnB.Should().ContainSingle().Which.Should().Be(removed, "the event crosses as it was published (kind, organization, person, id, time)");

        // Milliseconds on a quiet machine; the bound only says the event crossed on its own, not at a later poll.
        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "a loopback Redis delivers at once (measured {0:0.0} ms)", elapsed.TotalMilliseconds);

        // Its own message comes back from Redis too; the publishing server delivered it already and must not again. Redis
        // delivers one channel's messages in order, so once A hears B's later event, A's echo has come and gone.
        var marker = new OrganizationEvent(OrganizationEventKind.PolicyChanged, acme);
        await b.PublishAsync(marker);
        while (!heardOnA.Any(e => e.Id == marker.Id) && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(5);
        }

        heardOnA.Select(e => e.Id).Should().Equal([removed.Id, marker.Id], "A heard its own event once, then B's");
    }

    [Fact]
    public async Task Without_redis_a_publish_still_reaches_this_servers_circuits_and_does_not_throw()
    {
        // Redis commands time out after two minutes here: a publish that waited on Redis would take that long, one that does
        // not returns in milliseconds. The bound between the two leaves room for a loaded machine.
        var (a, heardOnA) = await ServerAsync(",asyncTimeout=120000,syncTimeout=120000");
        await redis.DisposeAsync();
        var policy = new OrganizationEvent(OrganizationEventKind.PolicyChanged, Guid.NewGuid());

        var publish = () => a.PublishAsync(policy);

        await publish.Should().CompleteWithinAsync(TimeSpan.FromSeconds(30), "the request that made the change does not wait on Redis, and nothing is thrown");
        heardOnA.Should().ContainSingle().Which.Kind.Should().Be(OrganizationEventKind.PolicyChanged);
    }

    [Fact]
    public async Task A_server_whose_redis_connection_comes_back_asks_its_circuits_to_recheck_what_they_may_have_missed()
    {
        var (_, heardOnB) = await ServerAsync();

        // Redis restarts: whatever other servers published meanwhile never reaches B (pub/sub keeps nothing for it).
        await redis.DisposeAsync();
        redis = await redis.StartAgainAsync();
        var clock = Stopwatch.StartNew();
        while (!heardOnB.Any(e => e.Kind == OrganizationEventKind.EventsInterrupted) && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(20);
        }

        heardOnB.Should().Contain(
            e => e.Kind == OrganizationEventKind.EventsInterrupted && e.Concerns("anyone", Guid.NewGuid()),
            "B's circuits hear that they may have missed changes once its connection is back, and every circuit is concerned (waited {0:0} ms)",
            clock.Elapsed.TotalMilliseconds);
    }
}
