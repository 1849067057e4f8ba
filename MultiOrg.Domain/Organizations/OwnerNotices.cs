using Microsoft.EntityFrameworkCore;

namespace MultiOrg.Domain.Organizations;

/// <summary>A plain-text notice to one person.</summary>
public sealed record OwnerNotice(string Email, string? Name, string Subject, string Text);

/// <summary>Notices to an organization's owners, written to the outbox of the change's unit and sent once it commits.</summary>
public interface IOwnerNotices
{
    Mail.QueuedMail Enqueue(IMultiOrgDb db, Guid organizationId, IReadOnlyList<OwnerNotice> notices);
}

public static class OwnerNoticeRecipients
{
    /// <summary>
    /// The organization's owners (a partner's owners too, for its clients: <see cref="Permissions.Access.OwnerIdsAsync"/>).
    /// Memberships carry no tenant filter, so the organization is named, never assumed.
    /// </summary>
    public static async Task<IReadOnlyList<OwnerNotice>> ToOwnersAsync(IMultiOrgDb db, Guid organizationId, string subject, string text, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var ownerIds = await Permissions.Access.OwnerIdsAsync(db, organizationId, ct);
        return await db.Users.Where(u => ownerIds.Contains(u.Id))
            .Select(u => new { u.Email, u.DisplayName })
            .Where(u => u.Email != null)
            .Select(u => new OwnerNotice(u.Email!, u.DisplayName, subject, text))
            .ToListAsync(ct);
    }
}
