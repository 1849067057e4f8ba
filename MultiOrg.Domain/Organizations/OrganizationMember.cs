using MultiOrg.Domain.Tenancy;
using MultiOrg.Domain.Users;

namespace MultiOrg.Domain.Organizations;

/// <summary>
/// A person's membership of one organization. Not <see cref="ITenantOwned"/>: it is the access table itself,
/// read by user to list "my organizations" and by organization to check access (docs/decisions/0002).
/// </summary>
public sealed class OrganizationMember : ITimestamped
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public required string UserId { get; set; }

    public Guid OrganizationId { get; set; }

    public OrganizationRole Role { get; set; } = OrganizationRole.Member;

    /// <summary>
    /// The member's normalized email and upper-cased name, copied here so the members page sorts, pages and searches
    /// on one indexed table at 100,000 members (bench/results/latest.md). Kept in step by the DbContext.
    /// </summary>
    public string SortEmail { get; set; } = "";

    public string SortName { get; set; } = "";

    public static OrganizationMember For(AppUser user, Guid organizationId, OrganizationRole role) => new()
    {
        UserId = user.Id,
        OrganizationId = organizationId,
        Role = role,
        SortEmail = SortKeys.Email(user),
        SortName = SortKeys.Name(user),
    };

    /// <summary>When an owner or admin last signed this person out of every browser (security stamp changed).</summary>
    public DateTime? SignedOutEverywhereAt { get; set; }

    /// <summary>When the person last entered the organization in the app (the dashboard's "active in the last 7/30 days").</summary>
    public DateTime? LastActiveAt { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public AppUser? User { get; set; }

    public Organization? Organization { get; set; }
}
