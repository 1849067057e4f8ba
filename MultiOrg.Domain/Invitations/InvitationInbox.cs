using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Domain.Users;

namespace MultiOrg.Domain.Invitations;

/// <summary>
/// The invitee's side: the invitation behind a link, the invitations addressed to my confirmed email, accept and decline.
/// The invitee is not yet a member, so finding an invitation reads across organizations: one of the few audited places
/// that ignore the tenant filter. Only the token's hash is looked up, and the writes run under the invitation's own
/// organization, where the save guard and the audit log see them.
/// </summary>
public sealed class InvitationInbox(IMultiOrgDbFactory dbFactory, TenantContext tenant, TimeProvider time, Billing.PlanCatalog plans)
{
    /// <summary>The invitation behind a link, or null when the token matches none (used, revoked and expired ones are returned, marked).</summary>
    public async Task<InvitationPreview?> FindByTokenAsync(string? token, CancellationToken ct = default)
    {
        if (!InvitationToken.LooksValid(token))
        {
            return null;
        }

        var hash = InvitationToken.Hash(token!);
        await using var db = dbFactory.Create();
        return await Previews(db, i => i.TokenHash == hash).SingleOrDefaultAsync(ct);
    }

    /// <summary>Open invitations addressed to the signed-in person's email, once that email is confirmed.</summary>
    public async Task<IReadOnlyList<InvitationPreview>> ListMineAsync(CancellationToken ct = default)
    {
        var userId = RequirePerson();
        await using var db = dbFactory.Create();
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, ct);
        if (user is not { EmailConfirmed: true, NormalizedEmail: { } email })
        {
            return [];
        }

        var now = time.GetUtcNow().UtcDateTime;
        var mine = await Previews(db, i => i.NormalizedEmail == email && i.Status == InvitationStatus.Pending && i.ExpiresAt > now).ToListAsync(ct);
        return [.. mine.OrderBy(p => p.ExpiresAt)];
    }

    /// <summary>Joins with the invited role. The signed-in account's confirmed email must be the invited one.</summary>
    public Task<InvitationPreview> AcceptAsync(Guid invitationId, CancellationToken ct = default) =>
        RespondAsync(i => i.Id == invitationId, accept: true, ct);

    public Task<InvitationPreview> AcceptTokenAsync(string? token, CancellationToken ct = default) =>
        RespondAsync(ByToken(token), accept: true, ct);

    public Task<InvitationPreview> DeclineAsync(Guid invitationId, CancellationToken ct = default) =>
        RespondAsync(i => i.Id == invitationId, accept: false, ct);

    public Task<InvitationPreview> DeclineTokenAsync(string? token, CancellationToken ct = default) =>
        RespondAsync(ByToken(token), accept: false, ct);

    private static System.Linq.Expressions.Expression<Func<Invitation, bool>> ByToken(string? token)
    {
        if (!InvitationToken.LooksValid(token))
        {
            throw new DomainException(DomainErrorKind.NotFound, DomainMessages.InvitationNotFound);
        }

        var hash = InvitationToken.Hash(token!);
        return i => i.TokenHash == hash;
    }

    /// <summary>A person answers for themselves; an API key acts inside its own organization only.</summary>
    private string RequirePerson() => tenant.ApiKey is null
        ? tenant.RequireUser()
        : throw new DomainException(DomainErrorKind.Forbidden, "An API key cannot see or answer invitations; sign in as the invited person.");

    private async Task<InvitationPreview> RespondAsync(System.Linq.Expressions.Expression<Func<Invitation, bool>> which, bool accept, CancellationToken ct)
    {
        var userId = RequirePerson();
        AppUser user;
        InvitationPreview found;
        await using (var lookup = dbFactory.Create())
        {
            user = await lookup.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, ct)
                ?? throw new DomainException(DomainErrorKind.Unauthenticated, "Sign in to continue.");
            found = await Previews(lookup, which).SingleOrDefaultAsync(ct)
                ?? throw new DomainException(DomainErrorKind.NotFound, DomainMessages.InvitationNotFound);
        }

        await using var db = dbFactory.CreateFor(tenant.ActingIn(userId, found.OrganizationId, found.OrganizationName, found.Role));
        var invitation = await db.WriteAsync(
            async ct =>
            {
                var invitation = await db.Set<Invitation>().SingleAsync(i => i.Id == found.Id, ct);

                // The link or the list proves nothing by itself: the account must own the invited mailbox.
                if (!user.EmailConfirmed || user.NormalizedEmail is null || !string.Equals(user.NormalizedEmail, invitation.NormalizedEmail, StringComparison.Ordinal))
                {
                    throw new DomainException(DomainErrorKind.Forbidden,
                        $"This invitation was sent to {found.Email}. Sign in with that address, confirmed, to answer it.");
                }

                var now = time.GetUtcNow().UtcDateTime;
                if (!invitation.IsOpen(now))
                {
                    throw new DomainException(DomainErrorKind.Conflict, DomainMessages.InvitationUnusable);
                }

                if (accept && !await db.OrganizationMembers.AnyAsync(m => m.OrganizationId == found.OrganizationId && m.UserId == userId, ct))
                {
                    // The invitation held this seat; a plan reduced since then may still have no room.
                    await Billing.BillingService.EnsureSeatAvailableAsync(db, plans, found.OrganizationId, 1, ct, holdsSeat: true);
                    db.OrganizationMembers.Add(OrganizationMember.For(user, found.OrganizationId, invitation.Role));
                }

                if (accept)
                {
                    // Before this invitation's own status: the one accepted here is marked Accepted below, any other is closed.
                    await Joining.OpenOffers.CloseAsync(db, user, found.OrganizationId, now, ct);
                }

                invitation.Status = accept ? InvitationStatus.Accepted : InvitationStatus.Declined;
                invitation.RespondedAt = now;
                invitation.RespondedByUserId = userId;
                await db.SaveChangesAsync(ct);
                return invitation;
            },
            ct);
        return found with { Status = invitation.Status, IsOpen = false };
    }

    private IQueryable<InvitationPreview> Previews(IMultiOrgDb db, System.Linq.Expressions.Expression<Func<Invitation, bool>> which)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return db.Set<Invitation>().IgnoreQueryFilters([TenantFilter.Name]).AsNoTracking().Where(which)
            .Join(db.Organizations, i => i.OrganizationId, o => o.Id, (i, o) => new { i, o.Name })
            .Select(x => new InvitationPreview(
                x.i.Id, x.i.OrganizationId, x.Name, x.i.Email, x.i.Name, x.i.Role,
                db.Users.Where(u => u.Id == x.i.InvitedByUserId).Select(u => u.DisplayName ?? u.Email).FirstOrDefault() ?? "An administrator",
                x.i.ExpiresAt, x.i.Status, x.i.Status == InvitationStatus.Pending && x.i.ExpiresAt > now));
    }
}
