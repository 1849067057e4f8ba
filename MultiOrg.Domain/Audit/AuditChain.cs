using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MultiOrg.Domain.Audit;

/// <summary>The hash of an entry covers everything it says and the previous entry's hash.</summary>
public static class AuditChain
{
    public static readonly byte[] Genesis = new byte[32];

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
}
