using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.SingleSignOn;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Joining;

public enum DomainCheckOutcome
{
    /// <summary>The record is there: the organization now holds the DNS proof.</summary>
    Verified,

    /// <summary>The record is still there; nothing changed.</summary>
    StillVerified,

    /// <summary>The name servers answered without the record (a proof held until now lapsed).</summary>
    RecordMissing,

    /// <summary>The name servers did not answer: nothing can be told, nothing changed.</summary>
    LookupFailed,
}

public sealed record DomainCheckResult(VerifiedDomainView Domain, DomainCheckOutcome Outcome, string Message);

/// <summary>What one daily re-check did.</summary>
public sealed record DomainRecheckRun(int Checked, int Lapsed, int Failed);

/// <summary>
/// Proves a claimed domain by its DNS TXT record <c>multiorg-verification=&lt;token&gt;</c>, on request ("Check now") and
/// daily for every proof held: a proof whose record is gone lapses, with its single sign-on routing, and the owners are
/// told. A name server that does not answer lapses nothing. The daily re-check reads the proofs of every organization
/// (on the cross-tenant allow-list) and changes each under its own organization's job tenant, so each lapse is audited.
/// </summary>
public sealed class DomainVerificationService(IMultiOrgDbFactory dbFactory, TenantContext tenant, IDnsTxtLookup dns, TimeProvider time, IOwnerNotices notices)
{
    private static readonly string[] TenantOnly = [TenantFilter.Name];

    /// <summary>128 random bits, lower-case hex: unguessable, and plain text in any DNS provider's form.</summary>
    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public async Task<DomainCheckResult> CheckAsync(Guid domainId, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await db.RequireAsync(tenant, Permission.EditOrganization, ct);
        var domain = await db.Set<VerifiedDomain>().SingleOrDefaultAsync(d => d.Id == domainId, ct)
            ?? throw new DomainException(DomainErrorKind.NotFound, "Verified domain not found.");
        if (domain.DnsToken is null)
        {
            // A claim from before DNS proofs: it gets its record now; the owner publishes it and checks again.
            domain.DnsToken = NewToken();
            await db.SaveChangesAsync(ct);
        }

        var answer = await dns.TxtRecordsAsync(domain.Domain, ct);
        DomainCheckOutcome outcome;
        string message;
        if (!answer.Answered)
        {
            outcome = DomainCheckOutcome.LookupFailed;
            message = $"The DNS servers did not answer for {domain.Domain} ({answer.Problem}). Nothing changed; try again in a few minutes.";
        }
        else if (!Carries(answer, domain))
        {
            var lapsed = domain.IsDnsVerified;
            if (lapsed)
            {
                await LapseAsync(db, domain, ct);
            }

            outcome = DomainCheckOutcome.RecordMissing;
            message = (lapsed ? $"The TXT record is gone from {domain.Domain}: its DNS verification lapsed, and single sign-on no longer applies there. " : "")
                + $"No TXT record “{domain.DnsRecord}” found at {domain.Domain}. Add it at your DNS provider (it can take up to an hour to show), then check again.";
        }
        else if (domain.IsDnsVerified)
        {
            outcome = DomainCheckOutcome.StillVerified;
            message = $"The TXT record is in place: {domain.Domain} stays DNS-verified.";
        }
        else
        {
            domain.DnsVerifiedDomain = domain.Domain;
            domain.DnsVerifiedAt = time.GetUtcNow().UtcDateTime;
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                throw new DomainException(DomainErrorKind.Conflict,
                    $"Another organization already holds the DNS verification of {domain.Domain}. It lapses at that organization's next daily check once its own record is removed from the domain.",
                    "domain");
            }

            await RemoveStaleRoutingAsync(domain, ct);
            outcome = DomainCheckOutcome.Verified;
            message = $"{domain.Domain} is DNS-verified: it can now be used for single sign-on.";
        }

        var view = (await JoinPolicyService.ListDomainsAsync(db, canEdit: true, ct, domain.Id)).Single();
        return new DomainCheckResult(view, outcome, message);
    }

    /// <summary>Re-checks every DNS proof held (the daily job); lapses those whose record is gone and mails their owners.</summary>
    public async Task<DomainRecheckRun> RecheckAllAsync(CancellationToken ct = default)
    {
        List<(Guid Id, Guid OrganizationId, string Name)> proofs;
        await using (var lookup = dbFactory.Create())
        {
            proofs = [.. (await lookup.Set<VerifiedDomain>().IgnoreQueryFilters(TenantOnly).AsNoTracking()
                .Where(d => d.DnsVerifiedDomain != null)
                .Join(lookup.Organizations.IgnoreQueryFilters(TenantOnly), d => d.OrganizationId, o => o.Id, (d, o) => new { d.Id, d.OrganizationId, o.Name })
                .ToListAsync(ct)).Select(p => (p.Id, p.OrganizationId, p.Name))];
        }

        int lapsed = 0, failed = 0;
        foreach (var (id, organizationId, name) in proofs)
        {
            await using var db = dbFactory.CreateFor(TenantContext.ForJob(organizationId, name));
            var domain = await db.Set<VerifiedDomain>().SingleOrDefaultAsync(d => d.Id == id && d.DnsVerifiedDomain != null, ct);
            if (domain is null)
            {
                continue;
            }

            var answer = await dns.TxtRecordsAsync(domain.Domain, ct);
            if (!answer.Answered)
            {
                failed++;
            }
            else if (!Carries(answer, domain))
            {
                await LapseAsync(db, domain, ct);
                lapsed++;
            }
        }

        return new DomainRecheckRun(proofs.Count, lapsed, failed);
    }

    /// <summary>
    /// Routing rows other organizations kept for a domain this one just proved (made on the weaker confirmed-address claim,
    /// before DNS proofs) would send the domain's people to their provider and block the owner's own: each is removed
    /// under its organization's job tenant, so the removal is in that organization's trail.
    /// </summary>
    private async Task RemoveStaleRoutingAsync(VerifiedDomain proved, CancellationToken ct)
    {
        List<(Guid Id, Guid OrganizationId, string Name)> stale;
        await using (var lookup = dbFactory.Create())
        {
            stale = [.. (await lookup.Set<SsoDomain>().IgnoreQueryFilters(TenantOnly).AsNoTracking()
                .Where(d => d.Domain == proved.Domain && d.OrganizationId != proved.OrganizationId)
                .Join(lookup.Organizations.IgnoreQueryFilters(TenantOnly), d => d.OrganizationId, o => o.Id, (d, o) => new { d.Id, d.OrganizationId, o.Name })
                .ToListAsync(ct)).Select(r => (r.Id, r.OrganizationId, r.Name))];
        }

        foreach (var (id, organizationId, name) in stale)
        {
            await using var db = dbFactory.CreateFor(TenantContext.ForJob(organizationId, name));
            if (await db.Set<SsoDomain>().SingleOrDefaultAsync(d => d.Id == id, ct) is { } row)
            {
                db.Set<SsoDomain>().Remove(row);
                db.AuditAs("SsoDomain.removed", nameof(SsoDomain), row.Domain,
                    new { reason = "Another organization proved the domain by its DNS record.", provedBy = proved.OrganizationId });
                await db.SaveChangesAsync(ct);
            }
        }
    }

    private static bool Carries(TxtAnswer answer, VerifiedDomain domain) =>
        domain.DnsRecord is { } record && answer.Records.Any(r => string.Equals(r.Trim(), record, StringComparison.Ordinal));

    /// <summary>Drops the proof and the domain's single sign-on routing in one save (audited) with the owners' notice in the outbox.</summary>
    private async Task LapseAsync(IMultiOrgDb db, VerifiedDomain domain, CancellationToken ct)
    {
        domain.DnsVerifiedDomain = null;
        domain.DnsVerifiedAt = null;
        db.Set<SsoDomain>().RemoveRange(await db.Set<SsoDomain>().Where(d => d.Domain == domain.Domain).ToListAsync(ct));
        var organization = await db.Organizations.Where(o => o.Id == domain.OrganizationId).Select(o => o.Name).SingleAsync(ct);
        var mail = await OwnerNoticeRecipients.ToOwnersAsync(db, domain.OrganizationId,
            $"{organization}: the DNS verification of {domain.Domain} lapsed",
            $"""
            The DNS TXT record "{domain.DnsRecord}" is no longer published at {domain.Domain}, so {organization}'s DNS verification of {domain.Domain} has lapsed.

            Single sign-on and "SSO required" no longer apply to {domain.Domain} addresses: people there sign in with their passwords. People with a confirmed address there may still join as before.

            To restore it, publish the record again at the domain's DNS provider and choose "Check now" under Settings, Joining.
            """,
            ct);
        var queued = notices.Enqueue(db, domain.OrganizationId, mail);
        await db.SaveChangesAsync(ct);
        await queued.SendNowAsync(ct);
    }
}
