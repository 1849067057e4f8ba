using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Domain.Text;

namespace MultiOrg.Domain.Invitations;

/// <summary>
/// Owners and admins invite people to the current organization (one by one, many at once, or from a CSV file), see the
/// pending invitations, resend and revoke them. The invitee's side is <see cref="InvitationInbox"/>.
/// </summary>
public sealed class InvitationService(
    IMultiOrgDbFactory dbFactory, TenantContext tenant, ILookupNormalizer normalizer, IInvitationSender sender, TimeProvider time,
    IOptions<InvitationOptions> options, Billing.PlanCatalog plans)
{
    /// <summary>Below SQL Server's 2,100 parameters per command: the set-based lookups go in chunks of this size.</summary>
    private const int LookupChunk = 1000;

    /// <summary>Where rows come from when they came from a CSV file: the one source behind a feature switch.</summary>
    public const string CsvSource = "csv";

    private TimeSpan Lifetime => TimeSpan.FromDays(Math.Max(1, options.Value.ExpiryDays));

    /// <summary>What inviting these rows would do, row by row; nothing is written.</summary>
    public async Task<InviteResult> PreviewAsync(IReadOnlyList<InviteRow> rows, string source = "form", CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var me = await db.RequireAsync(tenant, Permission.InviteMembers, ct);
        await RequireSourceAsync(db, me.OrganizationId, source, ct);
        return new InviteResult(await PlanAsync(db, me, rows, ct), Applied: false);
    }

    /// <summary>
    /// Invites every row that can be invited and reports every other row with its reason: a bad row never stops the good
    /// ones. The invitations and their mails (in the outbox) are written in one save (one audit entry for a batch); the mails
    /// are sent once it commits, or retried by the outbox when they cannot be.
    /// </summary>
    public async Task<InviteResult> InviteAsync(IReadOnlyList<InviteRow> rows, string source = "form", CancellationToken ct = default)
    {
        List<InviteRowResult> plan;
        Mail.QueuedMail queued;
        await using (var db = dbFactory.Create())
        {
            (plan, queued) = await db.WriteAsync(
                async ct =>
                {
                    var me = await db.RequireAsync(tenant, Permission.InviteMembers, ct);
                    await RequireSourceAsync(db, me.OrganizationId, source, ct);
                    var plan = await PlanAsync(db, me, rows, ct);
                    var invites = plan.Where(r => r.Invites).ToList();
                    if (invites.Count == 0)
                    {
                        return (plan, Mail.QueuedMail.None);
                    }

                    var organizationName = await db.Organizations.Where(o => o.Id == me.OrganizationId).Select(o => o.Name).SingleAsync(ct);
                    var inviter = await InviterNameAsync(db, me.UserId, ct);
                    var template = await Branding.BrandingService.TemplateAsync(db, ct);
                    var now = time.GetUtcNow().UtcDateTime;

                    // Made inside the unit: a retry starts from nothing, with new tokens, letters and queued mails.
                    List<InvitationLetter> letters = [];
                    foreach (var row in invites)
                    {
                        var (token, hash) = InvitationToken.New();
                        var invitation = new Invitation
                        {
                            OrganizationId = me.OrganizationId,
                            Email = row.Email,
                            NormalizedEmail = Normalize(row.Email),
                            Name = row.Name,
                            Role = row.Role!.Value,
                            TokenHash = hash,
                            ExpiresAt = now + Lifetime,
                            InvitedByUserId = me.UserId,
                            SentAt = now,
                        };
                        db.Set<Invitation>().Add(invitation);
                        letters.Add(new InvitationLetter(row.Email, row.Name, organizationName, inviter, invitation.Role, token, invitation.ExpiresAt,
                            template?.Subject, template?.Body, me.OrganizationId));
                    }

                    if (invites.Count > 1)
                    {
                        db.AuditAs("Invitation.batchCreated", "Organization", me.OrganizationId.ToString(), new
                        {
                            source,
                            invited = invites.Count,
                            skipped = plan.Count - invites.Count,
                            roles = invites.GroupBy(r => r.Role!.Value.ToApiName()).ToDictionary(g => g.Key, g => g.Count()),
                        });
                    }

                    var queued = sender.Enqueue(db, letters);
                    await db.SaveChangesAsync(ct);
                    return (plan, queued);
                },
                ct);
        }

        var sent = await queued.SendNowAsync(ct);
        return new InviteResult([.. plan.Select(r => r.Invites ? r with { Message = InvitedMessage(r.Email, r.Role!.Value, sent) } : r)], Applied: true)
        {
            MailQueued = !sent,
        };
    }

    public async Task<IReadOnlyList<InvitationView>> ListPendingAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await db.RequireToReadAsync(tenant, Permission.InviteMembers, ct);
        return await db.Set<Invitation>().AsNoTracking()
            .Where(i => i.Status == InvitationStatus.Pending)
            .OrderByDescending(i => i.SentAt).ThenBy(i => i.NormalizedEmail)
            .Select(i => new InvitationView(i.Id, i.Email, i.Name, i.Role,
                db.Users.Where(u => u.Id == i.InvitedByUserId).Select(u => u.DisplayName ?? u.Email ?? u.Id).FirstOrDefault() ?? "",
                i.SentAt, i.SendCount, i.ExpiresAt))
            .ToListAsync(ct);
    }

    /// <summary>Sends a fresh link (the old one stops working) and restarts the expiry.</summary>
    public async Task<InvitationView> ResendAsync(Guid invitationId, CancellationToken ct = default)
    {
        InvitationView view;
        Mail.QueuedMail queued;
        await using (var db = dbFactory.Create())
        {
            var me = await db.RequireAsync(tenant, Permission.InviteMembers, ct);
            var invitation = await FindPendingAsync(db, invitationId, ct);
            var (token, hash) = InvitationToken.New();
            var now = time.GetUtcNow().UtcDateTime;
            invitation.TokenHash = hash;
            invitation.ExpiresAt = now + Lifetime;
            invitation.SentAt = now;
            invitation.SendCount++;

            var organizationName = await db.Organizations.Where(o => o.Id == me.OrganizationId).Select(o => o.Name).SingleAsync(ct);
            var inviter = await InviterNameAsync(db, me.UserId, ct);
            var template = await Branding.BrandingService.TemplateAsync(db, ct);
            queued = sender.Enqueue(db, [new InvitationLetter(invitation.Email, invitation.Name, organizationName, inviter, invitation.Role, token,
                invitation.ExpiresAt, template?.Subject, template?.Body, me.OrganizationId)]);
            await db.SaveChangesAsync(ct);
            view = new InvitationView(invitation.Id, invitation.Email, invitation.Name, invitation.Role, inviter, now, invitation.SendCount, invitation.ExpiresAt);
        }

        return view with { MailQueued = !await queued.SendNowAsync(ct) };
    }

    /// <summary>The link stops working at once. An invitation of another organization is not found.</summary>
    public async Task RevokeAsync(Guid invitationId, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var me = await db.RequireAsync(tenant, Permission.InviteMembers, ct);
        var invitation = await FindPendingAsync(db, invitationId, ct);
        invitation.Status = InvitationStatus.Revoked;
        invitation.RespondedAt = time.GetUtcNow().UtcDateTime;
        invitation.RespondedByUserId = me.UserId;
        await db.SaveChangesAsync(ct);
    }

    private static async Task<Invitation> FindPendingAsync(IMultiOrgDb db, Guid invitationId, CancellationToken ct)
    {
        var invitation = await db.Set<Invitation>().SingleOrDefaultAsync(i => i.Id == invitationId, ct)
            ?? throw new DomainException(DomainErrorKind.NotFound, DomainMessages.InvitationNotFound);
        return invitation.Status == InvitationStatus.Pending
            ? invitation
            : throw new DomainException(DomainErrorKind.Conflict, $"This invitation was already {invitation.Status.ToString().ToLowerInvariant()}.");
    }

    private static string InvitedMessage(string email, OrganizationRole role, bool sent) => sent
        ? $"Invitation sent to {email} as {role.ToApiName()}."
        : $"Invitation to {email} as {role.ToApiName()} saved; the mail is queued, will retry.";

    private static async Task<string> InviterNameAsync(IMultiOrgDb db, string userId, CancellationToken ct) =>
        await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName ?? u.Email).FirstOrDefaultAsync(ct) ?? "An administrator";

    private string Normalize(string email) => normalizer.NormalizeEmail(email) ?? email.ToUpperInvariant();

    /// <summary>Checks each row on its own, then looks up members and open invitations for all rows at once (in chunks).</summary>
    private async Task<List<InviteRowResult>> PlanAsync(IMultiOrgDb db, EffectiveAccess me, IReadOnlyList<InviteRow> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            throw DomainException.Invalid("emails", "Enter at least one email address.");
        }

        if (rows.Count > options.Value.MaxRows)
        {
            throw DomainException.Invalid("file", $"At most {options.Value.MaxRows:N0} rows can be invited at once; this has {rows.Count:N0}.");
        }

        var mayGive = new Dictionary<OrganizationRole, bool>();
        foreach (var role in Enum.GetValues<OrganizationRole>())
        {
            mayGive[role] = await db.MayGiveRoleAsync(me, role, ct);
        }

        var results = new InviteRowResult?[rows.Count];
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        var candidates = new List<(int Index, string Normalized)>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var email = row.Email?.Trim() ?? "";
            // The name lands in the mail, the registration form and the member list: the one rule for names people choose.
            string? name = null, nameProblem = null;
            if (!string.IsNullOrWhiteSpace(row.Name))
            {
                nameProblem = UserText.Problem(row.Name, "Name", Invitation.NameMaxLength, out var clean);
                name = nameProblem is null ? clean : row.Name.Trim();
            }

            var role = ParseRole(row.Role);
            InviteRowResult Result(InviteOutcome outcome, string message) => new(row.Line, email, name, role, outcome, message);

            if (!EmailAddresses.IsValid(email))
            {
                results[i] = Result(InviteOutcome.InvalidEmail, email.Length == 0 ? "Email is required." : $"Email “{email}” is not a valid email address.");
            }
            else if (role is null)
            {
                results[i] = Result(InviteOutcome.UnknownRole, $"Role “{row.Role?.Trim()}” is unknown: use OWNER, ADMIN or MEMBER.");
            }
            else if (!mayGive[role.Value])
            {
                results[i] = Result(InviteOutcome.RoleNotAllowed, $"Role {role.Value.ToApiName()}: only owners can invite as owner or admin.");
            }
            else if (nameProblem is not null)
            {
                results[i] = Result(InviteOutcome.InvalidName, nameProblem);
            }
            else
            {
                var normalized = Normalize(email);
                if (firstLine.TryGetValue(normalized, out var line))
                {
                    results[i] = Result(InviteOutcome.DuplicateInFile, $"Email {email} appears again (first on line {line}).");
                }
                else
                {
                    firstLine[normalized] = row.Line;
                    candidates.Add((i, normalized));
                    results[i] = Result(InviteOutcome.Invite, $"Invite as {role.Value.ToApiName()}.");
                }
            }
        }

        var (members, invited) = await ExistingAsync(db, me.OrganizationId, candidates.Select(c => c.Normalized).ToList(), ct);
        foreach (var (index, normalized) in candidates)
        {
            var planned = results[index]!;
            if (members.Contains(normalized))
            {
                results[index] = planned with { Outcome = InviteOutcome.AlreadyMember, Message = $"{planned.Email} is already a member." };
            }
            else if (invited.Contains(normalized))
            {
                results[index] = planned with { Outcome = InviteOutcome.AlreadyInvited, Message = $"{planned.Email} already has an open invitation (resend it from the list)." };
            }
        }

        // Each invitation holds a seat: rows past the free seats are reported, in file order, and the rest still go out.
        var (seats, used) = await Billing.BillingService.SeatUsageAsync(db, plans, me.OrganizationId, ct);
        var free = Math.Max(0, seats - used);
        for (var i = 0; i < results.Length; i++)
        {
            if (results[i]!.Invites && free-- <= 0)
            {
                results[i] = results[i]! with { Outcome = InviteOutcome.SeatLimit, Message = Billing.BillingService.SeatLimitMessage(Math.Max(used, seats), seats) };
            }
        }

        return [.. results.Select(r => r!)];
    }

    private async Task<(HashSet<string> Members, HashSet<string> Invited)> ExistingAsync(
        IMultiOrgDb db, Guid organizationId, List<string> emails, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var members = new HashSet<string>(StringComparer.Ordinal);
        var invited = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in emails.Chunk(LookupChunk))
        {
            members.UnionWith(await db.OrganizationMembers.AsNoTracking()
                .Where(m => m.OrganizationId == organizationId && chunk.Contains(m.SortEmail))
                .Select(m => m.SortEmail).ToListAsync(ct));
            invited.UnionWith(await db.Set<Invitation>().AsNoTracking()
                .Where(i => i.Status == InvitationStatus.Pending && i.ExpiresAt > now && chunk.Contains(i.NormalizedEmail))
                .Select(i => i.NormalizedEmail).ToListAsync(ct));
        }

        return (members, invited);
    }

    /// <summary>OWNER, ADMIN or MEMBER in any case; blank means MEMBER; anything else is unknown (null).</summary>
    public static OrganizationRole? ParseRole(string? role) => role?.Trim().ToUpperInvariant() switch
    {
        null or "" or "MEMBER" => OrganizationRole.Member,
        "ADMIN" => OrganizationRole.Admin,
        "OWNER" => OrganizationRole.Owner,
        _ => null,
    };

    private Task RequireSourceAsync(IMultiOrgDb db, Guid organizationId, string source, CancellationToken ct) =>
        source == CsvSource ? FeatureSwitches.FeatureService.EnsureAvailableAsync(db, plans, organizationId, FeatureSwitches.Feature.CsvImport, ct) : Task.CompletedTask;
}
