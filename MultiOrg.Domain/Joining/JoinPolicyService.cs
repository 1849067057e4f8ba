using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Domain.Users;

namespace MultiOrg.Domain.Joining;

/// <summary>
/// The current organization's join policy (membership mode and verified domains) and the join requests its owners and
/// admins approve or reject. What happens when someone confirms an address is <see cref="DomainAutoJoin"/>.
/// </summary>
public sealed class JoinPolicyService(IMultiOrgDbFactory dbFactory, TenantContext tenant, TimeProvider time, Billing.PlanCatalog plans)
{
    public async Task<JoinPolicyView> GetAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var me = await db.RequireAsync(tenant, Permission.ViewOrganization, ct);
        var policy = await db.Organizations.Where(o => o.Id == me.OrganizationId).Select(o => new { o.MembershipMode, o.Visibility }).SingleAsync(ct);
        var domains = await ListDomainsAsync(db, me.Role.Allows(Permission.EditOrganization), ct);
        return new JoinPolicyView(policy.MembershipMode, domains, me.May(Permission.EditOrganization), policy.Visibility);
    }

    /// <summary>The current organization's domains; the TXT record to publish only for those who may check it.</summary>
    internal static async Task<List<VerifiedDomainView>> ListDomainsAsync(IMultiOrgDb db, bool canEdit, CancellationToken ct, Guid? only = null)
    {
        var rows = await db.Set<VerifiedDomain>().AsNoTracking().Where(d => only == null || d.Id == only).OrderBy(d => d.Domain)
            .Select(d => new
            {
                d.Id, d.Domain, d.Method, d.CreatedAt, d.DnsToken, d.DnsVerifiedDomain, d.DnsVerifiedAt,
                By = db.Users.Where(u => u.Id == d.VerifiedByUserId).Select(u => u.DisplayName ?? u.Email).FirstOrDefault() ?? "",
            })
            .ToListAsync(ct);
        return [.. rows.Select(d => new VerifiedDomainView(d.Id, d.Domain, d.By, d.Method, d.CreatedAt, d.DnsVerifiedDomain != null, d.DnsVerifiedAt,
            canEdit && d.DnsToken != null ? VerifiedDomain.DnsRecordPrefix + d.DnsToken : null))];
    }

    public async Task<JoinPolicyView> SetModeAsync(MembershipMode mode, CancellationToken ct = default)
    {
        if (!Enum.IsDefined(mode))
        {
            throw DomainException.Invalid("mode", "Mode must be InviteOnly, ApprovalRequired or Open.");
        }

        await using (var db = dbFactory.Create())
        {
            var me = await db.RequireAsync(tenant, Permission.EditOrganization, ct);
            var organization = await db.Organizations.SingleAsync(o => o.Id == me.OrganizationId, ct);
            organization.MembershipMode = mode;
            await db.SaveChangesAsync(ct);
        }

        return await GetAsync(ct);
    }

    /// <summary>
    /// Who may find the organization. Public lists it in the directory, where the membership mode decides what "ask to
    /// join" does; Private and Hidden are never listed, and Hidden also ignores verified domains (invitations only).
    /// </summary>
    public async Task<JoinPolicyView> SetVisibilityAsync(OrganizationVisibility visibility, CancellationToken ct = default)
    {
        if (!Enum.IsDefined(visibility))
        {
            throw DomainException.Invalid("visibility", "Visibility must be Private, Public or Hidden.");
        }

        await using (var db = dbFactory.Create())
        {
            var me = await db.RequireAsync(tenant, Permission.EditOrganization, ct);
            var organization = await db.Organizations.SingleAsync(o => o.Id == me.OrganizationId, ct);
            organization.Visibility = visibility;
            await db.SaveChangesAsync(ct);
        }

        return await GetAsync(ct);
    }

    /// <summary>
    /// Verifies a domain for the organization: the acting owner or admin has a confirmed address at that domain, or is a
    /// system administrator (docs/decisions/0008). Public mail providers are refused. This weaker proof opens auto-join
    /// and approval; the claim also gets the DNS TXT record whose check (<see cref="DomainVerificationService"/>) proves
    /// ownership for single sign-on.
    /// </summary>
    public async Task<VerifiedDomainView> AddDomainAsync(string? domain, CancellationToken ct = default)
    {
        var clean = (domain ?? "").Trim().TrimStart('@').TrimEnd('.').ToLowerInvariant();
        if (clean.Length == 0)
        {
            throw DomainException.Invalid("domain", "Domain is required.");
        }

        if (clean.Length > VerifiedDomain.DomainMaxLength || Uri.CheckHostName(clean) != UriHostNameType.Dns || !clean.Contains('.', StringComparison.Ordinal))
        {
            throw DomainException.Invalid("domain", $"Domain “{clean}” is not a valid domain name (for example acme.example).");
        }

        if (PublicMailDomains.Contains(clean))
        {
            throw DomainException.Invalid("domain", $"Domain {clean} is a public mail provider: anyone can have an address there.");
        }

        await using var db = dbFactory.Create();
        var me = await db.RequireAsync(tenant, Permission.EditOrganization, ct);
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == me.UserId, ct);
        var method = user.GlobalRole == GlobalRole.SystemAdmin ? "system-admin"
            : user.EmailConfirmed && EmailAddresses.DomainOf(user.Email) == clean ? "admin-email"
            : throw new DomainException(DomainErrorKind.Forbidden,
                $"To verify {clean}, confirm an address at {clean} on your own account first (or ask a system administrator).", "domain");

        if (await db.Set<VerifiedDomain>().AnyAsync(d => d.Domain == clean, ct))
        {
            throw new DomainException(DomainErrorKind.Conflict, $"Domain {clean} is already verified for this organization.", "domain");
        }

        var verified = new VerifiedDomain { Domain = clean, VerifiedByUserId = me.UserId, Method = method, DnsToken = DomainVerificationService.NewToken() };
        db.Set<VerifiedDomain>().Add(verified);
        await db.SaveChangesAsync(ct);
        return new VerifiedDomainView(verified.Id, clean, user.Name, method, verified.CreatedAt, DnsRecord: verified.DnsRecord);
    }

    public async Task RemoveDomainAsync(Guid domainId, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await db.RequireAsync(tenant, Permission.EditOrganization, ct);
        var domain = await db.Set<VerifiedDomain>().SingleOrDefaultAsync(d => d.Id == domainId, ct)
            ?? throw new DomainException(DomainErrorKind.NotFound, "Verified domain not found.");
        db.Set<VerifiedDomain>().Remove(domain);

        // Its single sign-on routing goes with it, so the organization that proves the domain next can route it.
        db.Set<SingleSignOn.SsoDomain>().RemoveRange(await db.Set<SingleSignOn.SsoDomain>().Where(d => d.Domain == domain.Domain).ToListAsync(ct));
        await db.SaveChangesAsync(ct);
    }

    public async Task<IReadOnlyList<JoinRequestView>> ListRequestsAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await db.RequireToReadAsync(tenant, Permission.InviteMembers, ct);
        return await db.Set<JoinRequest>().AsNoTracking()
            .Where(r => r.Status == JoinRequestStatus.Pending)
            .OrderBy(r => r.CreatedAt)
            .Select(r => new JoinRequestView(r.Id, r.UserId,
                db.Users.Where(u => u.Id == r.UserId).Select(u => u.DisplayName ?? u.Email).FirstOrDefault() ?? r.Email, r.Email, r.CreatedAt))
            .ToListAsync(ct);
    }

    /// <summary>The person becomes a MEMBER, unless they are one already by now (then the request is only closed).</summary>
    public Task<JoinDecision> ApproveAsync(Guid requestId, CancellationToken ct = default) => DecideAsync(requestId, approve: true, ct);

    public Task<JoinDecision> RejectAsync(Guid requestId, CancellationToken ct = default) => DecideAsync(requestId, approve: false, ct);

    private async Task<JoinDecision> DecideAsync(Guid requestId, bool approve, CancellationToken ct)
    {
        await using var db = dbFactory.Create();
        return await db.WriteAsync(
            async ct =>
            {
                var me = await db.RequireAsync(tenant, Permission.InviteMembers, ct);
                var request = await db.Set<JoinRequest>().SingleOrDefaultAsync(r => r.Id == requestId, ct)
                    ?? throw new DomainException(DomainErrorKind.NotFound, "Join request not found.");
                if (request.Status != JoinRequestStatus.Pending)
                {
                    throw new DomainException(DomainErrorKind.Conflict, $"This request was already {request.Status.ToString().ToLowerInvariant()}.");
                }

                var alreadyMember = await db.OrganizationMembers.AnyAsync(m => m.OrganizationId == me.OrganizationId && m.UserId == request.UserId, ct);
                var now = time.GetUtcNow().UtcDateTime;
                if (approve && !alreadyMember)
                {
                    var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == request.UserId, ct)
                        ?? throw new DomainException(DomainErrorKind.NotFound, "That account no longer exists.");
                    await Billing.BillingService.EnsureSeatAvailableAsync(db, plans, me.OrganizationId, 1, ct);
                    db.OrganizationMembers.Add(OrganizationMember.For(user, me.OrganizationId, OrganizationRole.Member));
                    await OpenOffers.CloseAsync(db, user, me.OrganizationId, now, ct);
                }

                request.Status = approve ? JoinRequestStatus.Approved : JoinRequestStatus.Rejected;
                request.DecidedAt = now;
                request.DecidedByUserId = me.UserId;
                await db.SaveChangesAsync(ct);
                return new JoinDecision(request.Status, alreadyMember);
            },
            ct);
    }
}
