using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Organizations;

namespace MultiOrg.Domain.Users;

/// <summary>
/// Guards deleting an account: deleting it removes its memberships, so it must not remove an organization's only owner
/// ("Transfer ownership before leaving" applies to leaving by deleting your account too).
/// </summary>
public sealed class AccountClosureService(IMultiOrgDbFactory dbFactory)
{
    public async Task<IReadOnlyList<string>> OrganizationsOnlyOwnedByAsync(string userId, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        return await db.OrganizationMembers
            .Where(m => m.UserId == userId && m.Role == OrganizationRole.Owner)
            .Where(m => !db.OrganizationMembers.Any(o => o.OrganizationId == m.OrganizationId && o.Role == OrganizationRole.Owner && o.UserId != userId))
            .Select(m => m.Organization!.Name)
            .OrderBy(name => name)
            .ToListAsync(ct);
    }
}
