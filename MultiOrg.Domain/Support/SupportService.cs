using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Domain.Users;

namespace MultiOrg.Domain.Support;

public sealed record SupportOrganizationView(Guid Id, string Name, OrganizationKind Kind, string? PartnerName, int MemberCount, DateTime CreatedAt);

/// <summary>
/// The internal support console: finds organizations across all tenants by name, id or a member's email. It reads only
/// the organization directory (names, kinds, counts), never an organization's own data. Support staff and system
/// administrators only.
/// </summary>
public sealed class SupportService(IMultiOrgDbFactory dbFactory, TenantContext tenant)
{
    public const int MaxResults = 50;

    public async Task<bool> IsSupportStaffAsync(CancellationToken ct = default)
    {
        var userId = tenant.UserId;
        if (userId is null || tenant.ApiKey is not null)
        {
            return false;
        }

        await using var db = dbFactory.Create();
        return await db.Users.AnyAsync(u => u.Id == userId && (u.GlobalRole == GlobalRole.Support || u.GlobalRole == GlobalRole.SystemAdmin), ct);
    }

    public async Task<IReadOnlyList<SupportOrganizationView>> SearchOrganizationsAsync(string? query, CancellationToken ct = default)
    {
        if (!await IsSupportStaffAsync(ct))
        {
            throw new DomainException(DomainErrorKind.Forbidden, "Only support staff can search across organizations.");
        }

        var term = query?.Trim() ?? "";
        if (term.Length < 2)
        {
            throw DomainException.Invalid("query", "Type at least two characters: a name, an organization id or a member's email.");
        }

        await using var db = dbFactory.Create();
        var organizations = db.Organizations.AsNoTracking();
        if (Guid.TryParse(term, out var id))
        {
            organizations = organizations.Where(o => o.Id == id);
        }
        else
        {
            var upper = term.ToUpperInvariant();
            organizations = organizations.Where(o =>
                o.Name.ToUpper().Contains(upper) || o.Members.Any(m => m.SortEmail.Contains(upper)));
        }

        var rows = await organizations
            .OrderBy(o => o.Name)
            .Take(MaxResults)
            .Select(o => new SupportOrganizationView(
                o.Id,
                o.Name,
                o.Kind,
                db.Organizations.Where(p => p.Id == o.PartnerOrganizationId).Select(p => p.Name).FirstOrDefault(),
                o.Members.Count,
                o.CreatedAt))
            .ToListAsync(ct);
        return rows;
    }
}
