using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Joining;

/// <summary>
/// The directory of public organizations any signed-in person may browse, search and ask to join. What "ask to join"
/// does is the organization's one membership mode (docs/decisions/0008): Open joins at once, ApprovalRequired files a
/// join request, InviteOnly refuses. A private or hidden organization is answered exactly as a missing one.
/// </summary>
public sealed class DirectoryService(IMultiOrgDbFactory dbFactory, TenantContext tenant, Billing.PlanCatalog plans, TimeProvider time)
{
    public const string NotFound = "Organization not found.";
    public const int MaxPageSize = 100;

    public async Task<DirectoryPage> SearchAsync(string? search, int page = 1, int pageSize = 20, CancellationToken ct = default)
    {
        var userId = tenant.RequireUser();
        Paging.Require(page, pageSize, MaxPageSize);
        await using var db = dbFactory.Create();
        var listed = Listed(db);
        var term = search?.Trim().ToUpperInvariant();
        if (!string.IsNullOrEmpty(term))
        {
            listed = listed.Where(o => o.Name.ToUpper().Contains(term) || (o.Description != null && o.Description.ToUpper().Contains(term)));
        }

        var total = await listed.CountAsync(ct);
        var items = await Entries(listed.OrderBy(o => o.Name).ThenBy(o => o.Id).Skip((page - 1) * pageSize).Take(pageSize), userId).ToListAsync(ct);
        return new DirectoryPage(items, total, page, pageSize);
    }

    public async Task<DirectoryEntry> GetAsync(Guid organizationId, CancellationToken ct = default)
    {
        var userId = tenant.RequireUser();
        await using var db = dbFactory.Create();
        return await Entries(Listed(db).Where(o => o.Id == organizationId), userId).SingleOrDefaultAsync(ct)
            ?? throw new DomainException(DomainErrorKind.NotFound, NotFound);
    }

    /// <summary>Joins (Open, with a free seat) or asks to join (ApprovalRequired, or Open but full) a public organization.</summary>
    public async Task<SelfJoinOutcome> JoinAsync(Guid organizationId, CancellationToken ct = default)
    {
        var userId = tenant.RequireUser();
        if (tenant.ApiKey is not null || tenant.Impersonation is not null)
        {
            throw new DomainException(DomainErrorKind.Forbidden, "Only a person signed in as themselves can ask to join an organization.");
        }

        Users.AppUser user;
        Organization organization;
        await using (var lookup = dbFactory.Create())
        {
            organization = await Listed(lookup).AsNoTracking().SingleOrDefaultAsync(o => o.Id == organizationId, ct)
                ?? throw new DomainException(DomainErrorKind.NotFound, NotFound);
            user = await lookup.Users.AsNoTracking().SingleAsync(u => u.Id == userId, ct);
            if (await lookup.OrganizationMembers.AnyAsync(m => m.OrganizationId == organizationId && m.UserId == userId, ct))
            {
                throw new DomainException(DomainErrorKind.Conflict, $"You are already a member of {organization.Name}.");
            }
        }

        if (organization.MembershipMode == MembershipMode.InviteOnly)
        {
            throw new DomainException(DomainErrorKind.Forbidden, $"{organization.Name} takes new members by invitation only.");
        }

        if (!user.EmailConfirmed || string.IsNullOrEmpty(user.Email))
        {
            throw new DomainException(DomainErrorKind.Forbidden, "Confirm your email address before asking to join an organization.");
        }

        // Written under the organization's own tenant, so the save guard and its audit log see the join like any change.
        await using var db = dbFactory.CreateFor(tenant.ActingIn(userId, organizationId, organization.Name, OrganizationRole.Member));
        var joins = await db.WriteAsync(
            async ct =>
            {
                var earlier = await db.Set<JoinRequest>().AsNoTracking().SingleOrDefaultAsync(r => r.UserId == userId, ct);
                if (earlier is not null)
                {
                    throw new DomainException(DomainErrorKind.Conflict, earlier.Status == JoinRequestStatus.Rejected
                        ? $"Your request to join {organization.Name} was declined. Ask its owners for an invitation."
                        : $"You already asked to join {organization.Name}; its owners and admins decide.");
                }

                var (seats, used) = await Billing.BillingService.SeatUsageAsync(db, plans, organizationId, ct);
                var joins = organization.MembershipMode == MembershipMode.Open && used < seats;
                if (joins)
                {
                    db.OrganizationMembers.Add(OrganizationMember.For(user, organizationId, OrganizationRole.Member));
                    await OpenOffers.CloseAsync(db, user, organizationId, time.GetUtcNow().UtcDateTime, ct);
                }
                else
                {
                    db.Set<JoinRequest>().Add(new JoinRequest { UserId = userId, Email = user.Email });
                }

                await db.SaveChangesAsync(ct);

                return joins;
            },
            ct);
        return new SelfJoinOutcome(organizationId, organization.Name, joins ? SelfJoinResult.Joined : SelfJoinResult.Requested);
    }

    private static IQueryable<Organization> Listed(IMultiOrgDb db) =>
        db.Organizations.Where(o => o.Visibility == OrganizationVisibility.Public);

    private static IQueryable<DirectoryEntry> Entries(IQueryable<Organization> organizations, string userId) =>
        organizations.Select(o => new DirectoryEntry(
            o.Id, o.Name, o.Description, o.Type, o.Website, o.MembershipMode, o.Members.Count, o.Members.Any(m => m.UserId == userId)));
}
