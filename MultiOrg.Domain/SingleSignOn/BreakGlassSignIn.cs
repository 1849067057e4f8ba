using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Domain.Users;

namespace MultiOrg.Domain.SingleSignOn;

/// <summary>
/// The break-glass owner signed in with password plus two-factor where "SSO required" would otherwise bind them: the
/// organization's audit log records it (the connection's <see cref="SsoConnection.BreakGlassUsedAt"/>, changed by that
/// owner) and every owner is mailed, so a way around the provider is never used unseen.
/// </summary>
public sealed class BreakGlassSignIn(IMultiOrgDbFactory dbFactory, TenantContext tenant, SsoLookup lookup, TimeProvider time, IOwnerNotices notices)
{
    /// <returns>Whether the sign-in was a break-glass one (and so recorded).</returns>
    public async Task<bool> RecordAsync(AppUser user, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var route = await lookup.FindForEmailAsync(user.Email, ct);
        if (route is not { Required: true } || await lookup.RoleInAsync(user.Id, route.OrganizationId, ct) is not { } role
            || !SsoLookup.IsBreakGlass(user, route, role))
        {
            return false;
        }

        await using var db = dbFactory.CreateFor(tenant.ActingIn(user.Id, route.OrganizationId, route.OrganizationName, role));
        var connection = await db.Set<SsoConnection>().SingleAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        connection.BreakGlassUsedAt = now;

        var who = user.DisplayName is { Length: > 0 } name ? $"{name} ({user.Email})" : user.Email;
        var queued = notices.Enqueue(db, route.OrganizationId, await OwnerNoticeRecipients.ToOwnersAsync(db, route.OrganizationId,
            $"{route.OrganizationName}: break-glass sign-in by {who}",
            $"""
            {who}, the break-glass owner of {route.OrganizationName}, signed in with a password and two-factor authentication at {now:yyyy-MM-dd HH:mm} UTC instead of through the organization's single sign-on provider.

            This is expected only while the provider is down. If it was not you or agreed with you, review the audit log and the break-glass owner under Settings, Security.
            """,
            ct));
        await db.SaveChangesAsync(ct);
        await queued.SendNowAsync(ct);
        return true;
    }
}
