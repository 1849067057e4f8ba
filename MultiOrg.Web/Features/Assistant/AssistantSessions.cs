using System.Buffers.Binary;
using Microsoft.Extensions.Caching.Distributed;

namespace MultiOrg.Web.Features.Assistant;

/// <summary>
/// The organization an assistant session switched to ("switch organizations within a single AI session by asking").
/// Keyed by MCP session id; a session that never switched works in the organization of its connection URL. Kept in the
/// distributed cache (Redis when configured, so every server sees it; memory on one server), and forgotten after
/// <see cref="Lifetime"/> without use, as the MCP endpoint forgets an idle session.
/// </summary>
public sealed class AssistantSessions(IDistributedCache cache, TimeProvider time)
{
    /// <summary>The MCP endpoint's own idle timeout for a session (its default): a choice never outlives its session.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(2);

    // A session that keeps working is written again at most this often, not at every tool call.
    private static readonly TimeSpan SlideEvery = TimeSpan.FromMinutes(1);

    public async Task<Guid?> SwitchedOrganizationAsync(string? sessionId, CancellationToken ct = default)
    {
        if (sessionId is null || await cache.GetAsync(Key(sessionId), ct) is not { Length: 24 } stored)
        {
            return null;
        }

        // The cache's own expiry runs on its clock (Redis's); the entry's use time is read on the app's, so a choice
        // unused for its lifetime is gone whatever the cache has not yet evicted.
        var organizationId = new Guid(stored.AsSpan(0, 16));
        var usedAt = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64LittleEndian(stored.AsSpan(16)));
        var idle = time.GetUtcNow() - usedAt;
        if (idle >= Lifetime)
        {
            await cache.RemoveAsync(Key(sessionId), ct);
            return null;
        }

        if (idle >= SlideEvery)
        {
            await SwitchAsync(sessionId, organizationId, ct);
        }

        return organizationId;
    }

    public Task SwitchAsync(string sessionId, Guid organizationId, CancellationToken ct = default)
    {
        var stored = new byte[24];
        organizationId.TryWriteBytes(stored.AsSpan(0, 16));
        BinaryPrimitives.WriteInt64LittleEndian(stored.AsSpan(16), time.GetUtcNow().ToUnixTimeMilliseconds());
        return cache.SetAsync(Key(sessionId), stored, new DistributedCacheEntryOptions { SlidingExpiration = Lifetime }, ct);
    }

    private static string Key(string sessionId) => "assistant-session:" + sessionId;
}
