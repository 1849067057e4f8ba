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
    /// <summary>The current organization's owners, read through the tenant filter of <paramref name="db"/>.</summary>
    public static async Task<IReadOnlyList<OwnerNotice>> ToOwnersAsync(IMultiOrgDb db, string subject, string text, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.OrganizationMembers.Where(m => m.Role == OrganizationRole.Owner)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { u.Email, u.DisplayName })
            .Where(u => u.Email != null)
            .Select(u => new OwnerNotice(u.Email!, u.DisplayName, subject, text))
            .ToListAsync(ct);
    }
}
