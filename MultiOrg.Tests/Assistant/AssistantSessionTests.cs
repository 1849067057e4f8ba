using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MultiOrg.Tests.Harness;
using MultiOrg.Web.Features.Assistant;

namespace MultiOrg.Tests.Assistant;

/// <summary>The organization an assistant session switched to, kept where every server sees it, and forgotten when unused.</summary>
public sealed class AssistantSessionTests
{
    [Fact]
    public async Task The_sessions_organization_survives_a_move_to_another_server()
    {
        await using var redis = await RedisServer.StartAsync();
        var settings = new Dictionary<string, string> { ["Redis:Configuration"] = redis.Configuration };
        using var serverA = new ApiFactory(settings);
        using var serverB = new ApiFactory(settings);
        var organizationId = Guid.NewGuid();

        await serverA.Services.GetRequiredService<AssistantSessions>().SwitchAsync("session-moving", organizationId);
        var seenByB = await serverB.Services.GetRequiredService<AssistantSessions>().SwitchedOrganizationAsync("session-moving");

        seenByB.Should().Be(organizationId, "the session's next call may reach the other server, and must work in the organization it switched to");
        serverB.Services.GetRequiredService<IDistributedCache>().Should().BeAssignableTo<RedisCache>("with Redis configured, the servers share it");
        (await serverB.Services.GetRequiredService<AssistantSessions>().SwitchedOrganizationAsync("another-session")).Should().BeNull();
    }

    [Fact]
    public async Task A_choice_unused_for_the_sessions_lifetime_is_gone_and_a_used_one_slides()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        var memory = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        var sessions = new AssistantSessions(memory, time);
        var organizationId = Guid.NewGuid();
        await sessions.SwitchAsync("session-idle", organizationId);

        time.Advance(AssistantSessions.Lifetime - TimeSpan.FromMinutes(1));
        var beforeTheEnd = await sessions.SwitchedOrganizationAsync("session-idle");
        time.Advance(AssistantSessions.Lifetime - TimeSpan.FromMinutes(1));
        var usedMeanwhile = await sessions.SwitchedOrganizationAsync("session-idle");
        time.Advance(AssistantSessions.Lifetime);
        var afterALifetime = await sessions.SwitchedOrganizationAsync("session-idle");

        beforeTheEnd.Should().Be(organizationId, $"unused for {AssistantSessions.Lifetime - TimeSpan.FromMinutes(1)}, less than its lifetime");
        usedMeanwhile.Should().Be(organizationId, "each use starts the lifetime again");
        afterALifetime.Should().BeNull($"unused for {AssistantSessions.Lifetime}, its lifetime");
        (await memory.GetAsync("assistant-session:session-idle")).Should().BeNull("an expired entry is removed, not only ignored");
    }
}
