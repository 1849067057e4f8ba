namespace MultiOrg.Domain.Audit;

/// <summary>
/// What remains of a deleted organization: its name and where its audit chain starts and ends. The entries themselves
/// stay in the log (no foreign key to the organization) for the minimum retention, readable by support and system
/// administrators; the end of the chain written here shows that none was removed from its tail.
/// Not tenant-owned: no organization exists to own it any more.
/// </summary>
public sealed class DeletedOrganization
{
    public const int NameMaxLength = Organizations.Organization.NameMaxLength;

    /// <summary>The deleted organization's id, the one its audit entries carry.</summary>
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public DateTime DeletedAt { get; set; }

    public string? DeletedByUserId { get; set; }

    /// <summary>The chain's anchor left by retention purges before the deletion (0 and null: the chain's start).</summary>
    public long AuditPurgedThroughSequence { get; set; }

    public byte[]? AuditPurgedThroughHash { get; set; }

    /// <summary>The last entry of the chain (the deletion itself) and its hash.</summary>
    public long LastSequence { get; set; }

    public required byte[] LastHash { get; set; }
}
