using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace MultiOrg.Domain.Audit;

/// <summary>The hash of an entry covers everything it says and the previous entry's hash.</summary>
public static class AuditChain
{
    public static readonly byte[] Genesis = new byte[32];

    /// <summary>
    /// The time to the microsecond: PostgreSQL keeps no finer (SQLite and SQL Server keep ticks), and the hash covers the
    /// time, so an entry hashed with ticks it loses on the way in would read back as changed.
    /// </summary>
    public static DateTime AtStoredPrecision(DateTime time) =>
        new(time.Ticks - (time.Ticks % TimeSpan.TicksPerMicrosecond), time.Kind);

    public static byte[] HashOf(AuditEntry entry)
    {
        var canonical = string.Join('\u001f',
            entry.OrganizationId.ToString("N"),
            entry.Sequence.ToString(CultureInfo.InvariantCulture),
            entry.OccurredAt.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture),
            entry.ActorUserId ?? "",
            entry.RealActorUserId ?? "",
            entry.Door.ToString(),
            entry.Action,
            entry.TargetType,
            entry.TargetId,
            entry.Changes,
            entry.ClientIp ?? "",
            Convert.ToHexString(entry.PreviousHash));
        return SHA256.HashData(Encoding.UTF8.GetBytes(canonical));
    }

    /// <summary>
    /// Recomputes every hash of one organization's <paramref name="entries"/> in order, starting at the retention anchor
    /// (the last entry a purge removed, or the chain's start); the first entry whose stored hash or link does not match is
    /// reported. The anchor itself must be the one the (chained) purge entry wrote down.
    /// </summary>
    public static async Task<AuditVerification> VerifyAsync(IQueryable<AuditEntry> entries, long anchorSequence, byte[]? anchorHash, CancellationToken ct = default)
    {
        var previous = anchorHash ?? Genesis;
        var expected = anchorSequence + 1;
        if (anchorSequence > 0 && !await AnchorMatchesPurgeRecordAsync(entries, anchorSequence, previous, ct))
        {
            return new AuditVerification(false, 0, expected, "The retention anchor does not match the purge recorded in the log.");
        }

        var count = 0;
        await foreach (var entry in entries.AsNoTracking().OrderBy(a => a.Sequence).AsAsyncEnumerable().WithCancellation(ct))
        {
            count++;
            if (entry.Sequence != expected)
            {
                return new AuditVerification(false, count, expected, $"Entry {expected} is missing.");
            }

            if (!entry.PreviousHash.AsSpan().SequenceEqual(previous))
            {
                return new AuditVerification(false, count, entry.Sequence, $"Entry {entry.Sequence} does not link to entry {entry.Sequence - 1}.");
            }

            if (!HashOf(entry).AsSpan().SequenceEqual(entry.Hash))
            {
                return new AuditVerification(false, count, entry.Sequence, $"Entry {entry.Sequence} was changed after it was written.");
            }

            previous = entry.Hash;
            expected++;
        }

        return new AuditVerification(true, count, null, null);
    }

    private static async Task<bool> AnchorMatchesPurgeRecordAsync(IQueryable<AuditEntry> entries, long through, byte[] hash, CancellationToken ct)
    {
        var records = await entries.AsNoTracking().Where(a => a.Action == "audit.purged").OrderByDescending(a => a.Sequence)
            .Select(a => a.Changes).ToListAsync(ct);
        foreach (var changes in records)
        {
            using var json = System.Text.Json.JsonDocument.Parse(changes);
            if (json.RootElement.TryGetProperty("purgedThroughSequence", out var seq) && seq.GetInt64() == through)
            {
                return json.RootElement.TryGetProperty("anchorHash", out var recorded) && recorded.GetString() == Convert.ToHexString(hash);
            }
        }

        return false;
    }
}
