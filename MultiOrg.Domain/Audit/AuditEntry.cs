using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Audit;

/// <summary>
/// One change to an organization, written in the same transaction as the change. Entries of one organization form a
/// hash chain (each carries the hash of the one before), so editing or removing a stored entry is detected.
/// Append-only: the DbContext refuses to update or delete them.
/// </summary>
public sealed class AuditEntry : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrganizationId { get; set; }

    /// <summary>1, 2, 3… within the organization; the order of the chain.</summary>
    public long Sequence { get; set; }

    public DateTime OccurredAt { get; set; }

    public string? ActorUserId { get; set; }

    /// <summary>The support user behind an impersonation, when there is one.</summary>
    public string? RealActorUserId { get; set; }

    public Door Door { get; set; }

    public required string Action { get; set; }

    public required string TargetType { get; set; }

    public required string TargetId { get; set; }

    /// <summary>JSON object: field → [before, after].</summary>
    public required string Changes { get; set; }

    public string? ClientIp { get; set; }

    public required byte[] PreviousHash { get; set; }

    public required byte[] Hash { get; set; }
}

/// <summary>The audit log's rules set by whoever runs MultiOrg, above any organization's own (section <c>Audit</c>).</summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>No organization keeps its log for less: an owner may lengthen retention, never shorten it below this.</summary>
    [System.ComponentModel.Description("no organization keeps its audit log for fewer days: owners may lengthen retention, never shorten it below this")]
    [System.ComponentModel.DataAnnotations.Range(1, 36_500)]
    public int MinimumRetentionDays { get; set; } = 365;

    /// <summary>
    /// Days between an owner shortening retention and the shorter period taking effect (0: at once); every owner is mailed,
    /// and any owner may cancel it meanwhile.
    /// </summary>
    [System.ComponentModel.Description("days between an owner shortening retention and the shorter period taking effect (0: at once); every owner is mailed and any owner may cancel it meanwhile")]
    [System.ComponentModel.DataAnnotations.Range(0, 365)]
    public int RetentionNoticeDays { get; set; } = 7;
}
