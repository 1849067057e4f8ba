using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Billing;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Domain.Users;

namespace MultiOrg.Domain.SingleSignOn;

/// <summary>The outcome of a sign-in through an organization's provider, for the person it signed in.</summary>
public sealed record SsoJoinOutcome(Guid OrganizationId, string OrganizationName, OrganizationRole Role, bool Joined);

/// <summary>
/// Just-in-time membership: the first sign-in through an organization's provider makes the person a member with the
/// provider's default role, through the same seat check as every other way in. A sign-in never changes an existing
/// member's role. The join lands in the organization's audit log.
/// </summary>
public sealed class SsoProvisioning(IMultiOrgDbFactory dbFactory, TenantContext tenant, PlanCatalog plans)
{
    public async Task<SsoJoinOutcome> JoinAsync(string userId, SsoClient client, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var acting = tenant.ActingIn(userId, client.OrganizationId, client.OrganizationName, client.DefaultRole);
        await using var db = dbFactory.CreateFor(acting);
        await using var transaction = await db.BeginWriteTransactionAsync(ct);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, ct)
            ?? throw new DomainException(DomainErrorKind.NotFound, "That account does not exist.");
        var existing = await db.OrganizationMembers.Where(m => m.UserId == userId).Select(m => (OrganizationRole?)m.Role).SingleOrDefaultAsync(ct);
        var joined = existing is null;
        if (joined)
        {
            await BillingService.EnsureSeatAvailableAsync(db, plans, client.OrganizationId, 1, ct);
            db.OrganizationMembers.Add(OrganizationMember.For(user, client.OrganizationId, client.DefaultRole));
        }

        // Where the person lands after signing in: the organization whose provider they came through.
        user.LastOrganizationId = client.OrganizationId;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new SsoJoinOutcome(client.OrganizationId, client.OrganizationName, existing ?? client.DefaultRole, joined);
    }
}
