using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Notes;

/// <summary>A short note pinned to an organization's dashboard; the first tenant-owned data.</summary>
public sealed class OrganizationNote : ITenantOwned, ITimestamped
{
    public const int TextMaxLength = 2000;

    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrganizationId { get; set; }

    public required string Text { get; set; }

    public required string AuthorUserId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}
