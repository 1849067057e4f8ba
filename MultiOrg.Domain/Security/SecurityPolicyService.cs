using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MultiOrg.Domain.Audit;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Security;

public sealed record SecurityPolicyView(
    bool RequireTwoFactor,
    int PasswordMinLength,
    bool PasswordRequireDigit,
    bool PasswordRequireUpperAndLower,
    bool PasswordRequireSymbol,
    DateTime? PasswordRulesTightenedAt,
    int? IdleTimeoutMinutes,
    IReadOnlyList<string> IpAllowList,
    int? AuditRetentionDays,
    string? YourAddress,
    bool CanEdit,
    int? PendingAuditRetentionDays = null,
    DateTime? PendingAuditRetentionAt = null,
    bool CanChangeRetention = false,
    string? Notice = null);

/// <summary>What an owner or admin asks for; null fields keep their current value, except the nullable limits (see the API).</summary>
public sealed record SecurityPolicyInput(
    bool RequireTwoFactor,
    int PasswordMinLength,
    bool PasswordRequireDigit,
    bool PasswordRequireUpperAndLower,
    bool PasswordRequireSymbol,
    int? IdleTimeoutMinutes,
    IReadOnlyList<string>? IpAllowList,
    int? AuditRetentionDays,
    bool ConfirmExcludesMyAddress = false);

/// <summary>
/// The current organization's security policies; OWNER and ADMIN change them, every change lands in the audit log.
/// Retention is the owners' (partner OWNERs in a client, <see cref="Access.ClientRoleFor"/>): lengthening takes effect at
/// once, shortening after <see cref="AuditOptions.RetentionNoticeDays"/>, announced to every owner and cancellable.
/// </summary>
public sealed class SecurityPolicyService(
    IMultiOrgDbFactory dbFactory, TenantContext tenant, TimeProvider time, Events.IOrganizationEvents events, IOptions<AuditOptions> audit, IAuditNotices notices)
{
    public async Task<SecurityPolicyView> GetAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var me = await db.RequireAsync(tenant, Permission.ViewSecurity, ct);
        var policy = await db.Set<SecurityPolicy>().AsNoTracking().SingleOrDefaultAsync(ct) ?? new SecurityPolicy();
        return View(policy, me.May(Permission.ManageSecurity), me.May(Permission.ManageAuditRetention));
    }

    /// <summary>The idle timeout of the current organization for any member's tab (null: none).</summary>
    public async Task<int?> GetIdleTimeoutAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await db.RequireAsync(tenant, Permission.ViewOrganization, ct);
        return await db.Set<SecurityPolicy>().Select(p => p.IdleTimeoutMinutes).SingleOrDefaultAsync(ct);
    }

    public async Task<SecurityPolicyView> UpdateAsync(SecurityPolicyInput input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.PasswordMinLength is < SecurityPolicy.MinPasswordLength or > SecurityPolicy.MaxPasswordLength)
        {
            throw DomainException.Invalid("passwordMinLength",
                $"Minimum password length must be between {SecurityPolicy.MinPasswordLength} and {SecurityPolicy.MaxPasswordLength}.");
        }

        if (input.IdleTimeoutMinutes is { } idle && (idle < 1 || idle > SecurityPolicy.MaxIdleMinutes))
        {
            throw DomainException.Invalid("idleTimeoutMinutes", $"Idle timeout must be between 1 and {SecurityPolicy.MaxIdleMinutes} minutes, or empty for none.");
        }

        var floor = Math.Max(1, audit.Value.MinimumRetentionDays);
        if (input.AuditRetentionDays is { } days && (days < floor || days > SecurityPolicy.MaxRetentionDays))
        {
            throw DomainException.Invalid("auditRetentionDays", $"Audit retention must be between {floor} and {SecurityPolicy.MaxRetentionDays} days, or empty to keep entries forever.");
        }

        var networks = IpAllowLists.Parse(input.IpAllowList ?? []);
        await using var db = dbFactory.Create();
        var me = await db.RequireAsync(tenant, Permission.ManageSecurity, ct);
        if (!input.ConfirmExcludesMyAddress && !IpAllowLists.Allows(networks, tenant.ClientIp))
        {
            throw new DomainException(DomainErrorKind.Conflict,
                $"Your current address ({tenant.ClientIp ?? "unknown"}) is not on this list: saving it locks you out of this organization. Confirm to save it anyway.",
                "confirmExcludesMyAddress");
        }

        var policy = await db.Set<SecurityPolicy>().SingleOrDefaultAsync(ct);
        var (current, pending, wanted) = (policy?.AuditRetentionDays, policy?.PendingAuditRetentionDays, input.AuditRetentionDays);

        // Sending back the period in force, or the one already waiting, leaves the waiting change as it is.
        var retentionChanges = wanted != current && !(pending is not null && wanted == pending);
        if (retentionChanges && !me.Role.Allows(Permission.ManageAuditRetention))
        {
            throw new DomainException(DomainErrorKind.Forbidden, "Only the organization's owners change how long the audit log is kept.", "auditRetentionDays");
        }

        var before = policy is null ? new SecurityPolicy() : Copy(policy);
        if (policy is null)
        {
            policy = new SecurityPolicy { OrganizationId = me.OrganizationId };
            db.Set<SecurityPolicy>().Add(policy);
        }

        policy.RequireTwoFactor = input.RequireTwoFactor;
        policy.PasswordMinLength = input.PasswordMinLength;
        policy.PasswordRequireDigit = input.PasswordRequireDigit;
        policy.PasswordRequireUpperAndLower = input.PasswordRequireUpperAndLower;
        policy.PasswordRequireSymbol = input.PasswordRequireSymbol;
        policy.IdleTimeoutMinutes = input.IdleTimeoutMinutes;
        // A notice period of 0 (configured so) applies a shortening at once; the owners are still told.
        var shortening = retentionChanges && wanted is { } shorter && (current is null || shorter < current);
        var effectiveAt = time.GetUtcNow().UtcDateTime.AddDays(Math.Max(0, audit.Value.RetentionNoticeDays));
        if (shortening && audit.Value.RetentionNoticeDays > 0)
        {
            policy.PendingAuditRetentionDays = wanted;
            policy.PendingAuditRetentionAt = effectiveAt;
        }
        else if (retentionChanges)
        {
            policy.AuditRetentionDays = wanted;
            policy.PendingAuditRetentionDays = null;
            policy.PendingAuditRetentionAt = null;
        }

        policy.IpAllowList = IpAllowLists.Format(networks);
        if (before.PasswordRulesStricterIn(policy))
        {
            policy.PasswordRulesTightenedAt = time.GetUtcNow().UtcDateTime;
        }

        var announcement = shortening ? await AnnounceShorteningAsync(db, me, current, wanted!.Value, effectiveAt, ct) : Mail.QueuedMail.None;

        // The DbContext writes the change (each field before → after) to the audit log in this same save, and the
        // owners' mail to the outbox.
        await db.SaveChangesAsync(ct);

        // Every tab inside the organization checks its entry again (allow-list, two-factor) and takes the new idle timeout.
        await events.PublishAsync(new(Events.OrganizationEventKind.PolicyChanged, me.OrganizationId), ct);

        var announced = await announcement.SendNowAsync(ct);

        // Built here, not re-read: a confirmed list without the saver's address already refuses them.
        return View(policy, canEdit: true, me.Role.Allows(Permission.ManageAuditRetention)) with
        {
            Notice = announced ? null : DomainMessages.SavedMailNotSent,
        };
    }

    /// <summary>Withdraws a shortening of retention that is still waiting out its notice period (owners only).</summary>
    public async Task<SecurityPolicyView> CancelPendingRetentionAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var me = await db.RequireAsync(tenant, Permission.ManageAuditRetention, ct);
        var policy = await db.Set<SecurityPolicy>().SingleOrDefaultAsync(ct);
        if (policy?.PendingAuditRetentionDays is null)
        {
            throw new DomainException(DomainErrorKind.NotFound, "No change of audit retention is waiting to take effect.");
        }

        policy.PendingAuditRetentionDays = null;
        policy.PendingAuditRetentionAt = null;
        await db.SaveChangesAsync(ct);
        return View(policy, me.Role.Allows(Permission.ManageSecurity), canChangeRetention: true);
    }

    /// <summary>Every owner learns of a shortening while it can still be cancelled: whoever shortens cannot do it quietly.</summary>
    private async Task<Mail.QueuedMail> AnnounceShorteningAsync(IMultiOrgDb db, Permissions.EffectiveAccess me, int? from, int to, DateTime effectiveAt, CancellationToken ct)
    {
        var ownerIds = await db.OwnerIdsAsync(me.OrganizationId, ct);
        var people = await db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id) || u.Id == me.UserId)
            .Select(u => new { u.Id, u.Email, u.DisplayName }).ToListAsync(ct);
        var actor = people.FirstOrDefault(p => p.Id == me.UserId);
        var organization = await db.Organizations.Where(o => o.Id == me.OrganizationId).Select(o => o.Name).SingleAsync(ct);
        var owners = people.Where(p => ownerIds.Contains(p.Id) && p.Email is not null).Select(p => new NoticeRecipient(p.Email!, p.DisplayName)).ToList();
        return notices.EnqueueRetentionShortening(db, new RetentionShorteningLetter(
            owners, me.OrganizationId, organization, actor?.DisplayName ?? actor?.Email ?? "An owner", from, to, effectiveAt));
    }

    private static SecurityPolicy Copy(SecurityPolicy p) => new()
    {
        PasswordMinLength = p.PasswordMinLength,
        PasswordRequireDigit = p.PasswordRequireDigit,
        PasswordRequireUpperAndLower = p.PasswordRequireUpperAndLower,
        PasswordRequireSymbol = p.PasswordRequireSymbol,
    };

    private SecurityPolicyView View(SecurityPolicy p, bool canEdit, bool canChangeRetention) => new(
        p.RequireTwoFactor, p.PasswordMinLength, p.PasswordRequireDigit, p.PasswordRequireUpperAndLower, p.PasswordRequireSymbol,
        p.PasswordRulesTightenedAt, p.IdleTimeoutMinutes, [.. p.AllowedNetworks.Select(n => n.ToString())], p.AuditRetentionDays,
        tenant.ClientIp, canEdit, p.PendingAuditRetentionDays, p.PendingAuditRetentionAt, canChangeRetention);
}
