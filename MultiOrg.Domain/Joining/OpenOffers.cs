using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Invitations;
using MultiOrg.Domain.Users;

namespace MultiOrg.Domain.Joining;

/// <summary>
/// Whatever path takes a person into an organization (an invitation accepted, a request approved, domain auto-join, the
/// directory, SCIM, single sign-on, an admin adding them), their other open ways in are settled in the same save: a
/// request left pending would later be "approved" for a member, and an open invitation would hold a seat for nobody.
/// </summary>
public static class OpenOffers
{
    /// <summary>
    /// Closes the person's pending join requests (approved, with no decider: they joined another way) and the pending
    /// invitations to their address (revoked) in <paramref name="organizationId"/>; the caller's save writes them.
    /// </summary>
    public static async Task CloseAsync(IMultiOrgDb db, AppUser user, Guid organizationId, DateTime now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(user);
        foreach (var request in await db.Set<JoinRequest>()
            .Where(r => r.OrganizationId == organizationId && r.UserId == user.Id && r.Status == JoinRequestStatus.Pending).ToListAsync(ct))
        {
            request.Status = JoinRequestStatus.Approved;
            request.DecidedAt = now;
        }

        if (user.NormalizedEmail is not { } email)
        {
            return;
        }

        foreach (var invitation in await db.Set<Invitation>()
            .Where(i => i.OrganizationId == organizationId && i.NormalizedEmail == email && i.Status == InvitationStatus.Pending).ToListAsync(ct))
        {
            invitation.Status = InvitationStatus.Revoked;
            invitation.RespondedAt = now;
        }
    }
}
