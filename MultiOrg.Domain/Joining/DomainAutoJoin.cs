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
public sealed class DomainAutoJoin(IMultiOrgDbFactory dbFactory, TenantContext tenant, Billing.PlanCatalog plans, TimeProvider time)
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

            candidates = await CandidatesAsync(lookup, userId, domain, ct);
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
                            await OpenOffers.CloseAsync(db, user, organizationId, time.GetUtcNow().UtcDateTime, ct);
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

    /// <summary>
    /// For the signed-in person whose address is not confirmed yet: the organizations that confirming it would take them
    /// into (Open) or send a join request to (ApprovalRequired), so the page can tell them. Empty once it is confirmed.
    /// </summary>
    public async Task<IReadOnlyList<AwaitingConfirmation>> AwaitingConfirmationAsync(CancellationToken ct = default)
    {
        var userId = tenant.RequireUser();
        await using var lookup = dbFactory.Create();
        var user = await lookup.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, ct);
        var domain = EmailAddresses.DomainOf(user?.Email);
        if (user is not { EmailConfirmed: false } || domain.Length == 0)
        {
            return [];
        }

        var candidates = await CandidatesAsync(lookup, userId, domain, ct);
        return [.. candidates.OrderBy(c => c.Name, StringComparer.CurrentCultureIgnoreCase)
            .Select(c => new AwaitingConfirmation(c.Name, domain, c.Mode == MembershipMode.Open))];
    }

    /// <summary>The organizations that verified <paramref name="domain"/>, take people by themselves and have neither the person nor a request of theirs.</summary>
    private static async Task<List<(Guid Id, string Name, MembershipMode Mode)>> CandidatesAsync(
        IMultiOrgDb lookup, string userId, string domain, CancellationToken ct)
    {
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
        return [.. rows.Select(r => (r.Id, r.Name, r.MembershipMode))];
    }
}

/// <summary>An organization that confirming the address joins (<see cref="Joins"/>) or asks to join.</summary>
public sealed record AwaitingConfirmation(string OrganizationName, string Domain, bool Joins);
