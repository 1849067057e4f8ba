using Microsoft.EntityFrameworkCore;

namespace MultiOrg.Domain.Organizations;

/// <summary>A plain-text notice to one person.</summary>
public sealed record OwnerNotice(string Email, string? Name, string Subject, string Text);

/// <summary>Mails notices to an organization's owners (SMTP or the pickup folder, as configured), after the change committed.</summary>
public interface IOwnerNotices
{
    Task SendAsync(IReadOnlyList<OwnerNotice> notices, CancellationToken ct = default);
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
