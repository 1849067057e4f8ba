using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Joining;

/// <summary>
/// When a person's address is confirmed: every organization that verified its domain and takes people by themselves
/// either adds them as MEMBER (Open) or receives their join request (ApprovalRequired). Finding those organizations
/// reads verified domains across organizations (the person belongs to none of them yet): one of the few audited places
/// that ignore the tenant filter. Each join is written under its organization's own tenant.
/// </summary>
public sealed class DomainAutoJoin(IMultiOrgDbFactory dbFactory, TenantContext tenant, Billing.PlanCatalog plans)
{
    public async Task<IReadOnlyList<SelfJoinOutcome>> OnEmailConfirmedAsync(string userId, CancellationToken ct = default)
    {
        Users.AppUser? user;
        List<(Guid Id, string Name, MembershipMode Mode)> candidates;
        await using (var lookup = dbFactory.Create())
        {
            user = await lookup.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, ct);
            var domain = EmailAddresses.DomainOf(user?.Email);
            if (user is not { EmailConfirmed: true } || domain.Length == 0)
            {
                return [];
            }

            var requests = lookup.Set<JoinRequest>().IgnoreQueryFilters([TenantFilter.Name]).Where(r => r.UserId == userId);
            var rows = await lookup.Set<VerifiedDomain>().IgnoreQueryFilters([TenantFilter.Name]).AsNoTracking()
                .Where(d => d.Domain == domain)
                .Join(lookup.Organizations, d => d.OrganizationId, o => o.Id, (d, o) => o)
                .Where(o => o.MembershipMode != MembershipMode.InviteOnly && o.Visibility != OrganizationVisibility.Hidden
                    && !lookup.OrganizationMembers.Any(m => m.OrganizationId == o.Id && m.UserId == userId)
                    && !requests.Any(r => r.OrganizationId == o.Id))
                .Select(o => new { o.Id, o.Name, o.MembershipMode })
                .Distinct()
                .ToListAsync(ct);
            candidates = [.. rows.Select(r => (r.Id, r.Name, r.MembershipMode))];
        }

        var outcomes = new List<SelfJoinOutcome>();
        foreach (var (organizationId, name, mode) in candidates)
        {
            await using var db = dbFactory.CreateFor(tenant.ActingIn(userId, organizationId, name, OrganizationRole.Member));
            try
            {
                var joins = await db.WriteAsync(
                    async ct =>
                    {
                        // A full organization cannot take the person in at once: they file a request its admins see instead.
                        var (seats, used) = await Billing.BillingService.SeatUsageAsync(db, plans, organizationId, ct);
                        var joins = mode == MembershipMode.Open && used < seats;
                        if (joins)
                        {
                            db.OrganizationMembers.Add(OrganizationMember.For(user, organizationId, OrganizationRole.Member));
                        }
                        else
                        {
                            db.Set<JoinRequest>().Add(new JoinRequest { UserId = userId, Email = user.Email! });
                        }

                        await db.SaveChangesAsync(ct);
                        return joins;
                    },
                    ct);
                outcomes.Add(new SelfJoinOutcome(organizationId, name, joins ? SelfJoinResult.Joined : SelfJoinResult.Requested));
            }
            catch (DbUpdateException e) when (!e.IsTransient())
            {
                // A concurrent confirmation, an invitation or an approval got there first (unique per person and organization).
            }
        }

        return outcomes;
    }
}
