using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Mail;

/// <summary>Puts a mail the outbox gave up in its organization's audit log, where the organization's administrators look.</summary>
public sealed class OutboxAudit(IMultiOrgDbFactory dbFactory)
{
    public const string GivenUpAction = "mail.givenUp";

    /// <returns>False when the organization is gone (deleted meanwhile): the log line is then all there is.</returns>
    public async Task<bool> RecordGivenUpAsync(Guid organizationId, Guid mailId, string kind, string recipient, int attempts, string reason, CancellationToken ct = default)
    {
        await using var db = dbFactory.CreateFor(TenantContext.ForJob(organizationId, ""));
        if (!await db.Organizations.AnyAsync(o => o.Id == organizationId, ct))
        {
            return false;
        }

        db.AuditEvent(GivenUpAction, "Mail", mailId.ToString(), new { kind, recipient, attempts, reason });
        await db.SaveChangesAsync(ct);
        return true;
    }
}
