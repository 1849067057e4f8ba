using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Domain.Users;

namespace MultiOrg.Domain.Scim;

/// <summary>
/// SCIM Users of the current organization: people its identity provider provisions, only at the organization's
/// DNS-verified domains (as single sign-on); an existing account is taken over only when it is a member already. The provider never changes an account's address or password:
/// the account is the person's and may belong to other organizations. Deactivating removes the membership through
/// <see cref="MemberService"/>, with its rules (the last owner stays; what they own is revoked).
/// </summary>
public sealed class ScimUserService(
    IMultiOrgDbFactory dbFactory, TenantContext tenant, ILookupNormalizer normalizer, Billing.PlanCatalog plans, MemberService members, TimeProvider time)
{
    public async Task<ScimPage<ScimUserView>> ListAsync(ScimFilter? filter, int startIndex, int count, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await db.RequireAsync(tenant, Permission.ViewMembers, ct);
        var users = db.Set<ScimUser>().AsNoTracking();
        users = filter switch
        {
            null => users,
            { Attribute: ScimFields.UserName } => users.Where(u => u.NormalizedUserName == Normalize(filter.Value)),
            { Attribute: ScimFields.ExternalId } => users.Where(u => u.ExternalId == filter.Value),
            { Attribute: ScimFields.EmailsValue } => users.Where(u => db.Users.Any(a => a.Id == u.UserId && a.NormalizedEmail == normalizer.NormalizeEmail(filter.Value))),
            _ => throw DomainException.Invalid("filter", $"Users cannot be filtered by {filter.Attribute}."),
        };
        var total = await users.CountAsync(ct);
        var page = await Views(db, users.OrderBy(u => u.CreatedAt).ThenBy(u => u.Id).Skip(startIndex - 1).Take(count)).ToListAsync(ct);
        return new ScimPage<ScimUserView>(page, total, startIndex);
    }

    public async Task<ScimUserView> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await db.RequireAsync(tenant, Permission.ViewMembers, ct);
        return await Views(db, db.Set<ScimUser>().AsNoTracking().Where(u => u.Id == id)).SingleOrDefaultAsync(ct) ?? throw NotFound();
    }

    public async Task<ScimUserView> CreateAsync(ScimUserInput input, CancellationToken ct = default)
    {
        var (userName, email) = Validate(input);
        await using var db = dbFactory.Create();
        var row = await db.WriteAsync(
            async ct =>
            {
                var me = await db.RequireAsync(tenant, Permission.InviteMembers, ct);
                await EnsureUniqueAsync(db, null, userName, input.ExternalId, ct);
                var normalizedEmail = normalizer.NormalizeEmail(email);
                var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalizedEmail, ct);
                var createdAccount = user is null;
                var memberAlready = user is not null
                    && await db.OrganizationMembers.AnyAsync(m => m.OrganizationId == me.OrganizationId && m.UserId == user.Id, ct);
                if (!memberAlready)
                {
                    // Someone who is a member already is taken over as they are; anyone else only at a DNS-verified domain.
                    await RequireDnsVerifiedDomainAsync(db, email, ct);
                }

                if (user is null)
                {
                    user = await NewAccountAsync(db, email, input, ct);
                }
                else if (!user.EmailConfirmed)
                {
                    throw new DomainException(DomainErrorKind.Validation,
                        $"An account with {email} exists but has not confirmed its address: invite them from the Members page instead.", ScimFields.Emails);
                }
                else if (!memberAlready)
                {
                    throw AccountExists(email);
                }
                else if (await db.Set<ScimUser>().AnyAsync(u => u.UserId == user.Id, ct))
                {
                    throw new DomainException(DomainErrorKind.Conflict, $"{email} is provisioned already, under another userName.", ScimFields.UserName);
                }

                if (input.Active && !await db.OrganizationMembers.AnyAsync(m => m.OrganizationId == me.OrganizationId && m.UserId == user.Id, ct))
                {
                    await EnsureSeatAsync(db, me.OrganizationId, ct);
                    db.OrganizationMembers.Add(OrganizationMember.For(user, me.OrganizationId, OrganizationRole.Member));
                    await Joining.OpenOffers.CloseAsync(db, user, me.OrganizationId, time.GetUtcNow().UtcDateTime, ct);
                }

                var row = new ScimUser { UserId = user.Id, UserName = userName, NormalizedUserName = Normalize(userName), CreatedAccount = createdAccount };
                Apply(row, input);
                db.Set<ScimUser>().Add(row);
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateException e) when (!e.IsTransient())
                {
                    // A server database's unique index caught a concurrent create of the same userName or person.
                    throw new DomainException(DomainErrorKind.Conflict, $"A user with userName {userName} exists already.", ScimFields.UserName);
                }

                return row;
            },
            ct);
        return await GetAsync(row.Id, ct);
    }

    /// <summary>PUT, and the outcome of a PATCH: every attribute as given; a change of <c>active</c> adds or removes the membership.</summary>
    public async Task<ScimUserView> ReplaceAsync(Guid id, ScimUserInput input, CancellationToken ct = default)
    {
        var (userName, _) = Validate(input, emailRequired: false);
        var scoped = await RequireChangeAsync(ct);
        var current = await GetAsync(id, ct);
        if (current.Active && !input.Active)
        {
            await DeactivateAsync(current, ct);
        }

        // Written as the token's creator in its organization, even when the deactivated person was that creator (who has left).
        await using var db = dbFactory.CreateFor(scoped);
        await db.WriteAsync(
            async ct =>
            {
                await EnsureUniqueAsync(db, id, userName, input.ExternalId, ct);
                var row = await db.Set<ScimUser>().SingleOrDefaultAsync(u => u.Id == id, ct) ?? throw NotFound();
                if (input.Active)
                {
                    // Also when the row says active but someone removed the membership on the members page meanwhile.
                    await ReactivateAsync(db, row, ct);
                }

                row.UserName = userName;
                row.NormalizedUserName = Normalize(userName);
                Apply(row, input);
                if (row.CreatedAccount && await db.Users.SingleOrDefaultAsync(u => u.Id == row.UserId, ct) is { } account)
                {
                    account.DisplayName = DisplayNameOf(input);
                }

                await db.SaveChangesAsync(ct);
            },
            ct);
        return await Views(db, db.Set<ScimUser>().AsNoTracking().Where(u => u.Id == id)).SingleAsync(ct);
    }

    /// <summary>Removes the membership (if still active) and forgets the provider's record; the account stays the person's.</summary>
    public async Task DeleteAsync(Guid id, CancellationToken ct = default)
    {
        var scoped = await RequireChangeAsync(ct);
        var current = await GetAsync(id, ct);
        if (current.Active)
        {
            await DeactivateAsync(current, ct);
        }

        await using var db = dbFactory.CreateFor(scoped);
        db.Set<ScimUser>().Remove(await db.Set<ScimUser>().SingleAsync(u => u.Id == id, ct));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Checks that the token may change members, and returns its acting context for the writes that follow a removal:
    /// removing the token's own creator leaves the organization in the request's context, not in this one.
    /// </summary>
    private async Task<TenantContext> RequireChangeAsync(CancellationToken ct)
    {
        await using var db = dbFactory.Create();
        var me = await db.RequireAsync(tenant, Permission.InviteMembers, ct);
        await db.RequireAsync(tenant, Permission.RemoveMembers, ct);
        return tenant.ActingIn(me.UserId, me.OrganizationId, tenant.OrganizationName ?? "", me.Role);
    }

    private async Task DeactivateAsync(ScimUserView user, CancellationToken ct)
    {
        string userId;
        bool isMember;
        await using (var db = dbFactory.Create())
        {
            userId = await db.Set<ScimUser>().Where(u => u.Id == user.Id).Select(u => u.UserId).SingleAsync(ct);
            isMember = await db.OrganizationMembers.AnyAsync(m => m.OrganizationId == db.OrganizationId && m.UserId == userId, ct);
        }

        if (isMember)
        {
            // The members page's own removal: only an owner removes an owner, the last owner stays, keys and invitations are revoked.
            await members.RemoveAsync(userId, ct);
        }
    }

    private async Task ReactivateAsync(IMultiOrgDb db, ScimUser row, CancellationToken ct)
    {
        var organizationId = db.OrganizationId!.Value;
        if (!await db.OrganizationMembers.AnyAsync(m => m.OrganizationId == organizationId && m.UserId == row.UserId, ct))
        {
            var user = await db.Users.SingleAsync(u => u.Id == row.UserId, ct);
            if (!row.CreatedAccount)
            {
                // Taken over as a member once, and no longer one: their account is theirs again, as any other existing account's.
                throw AccountExists(user.Email ?? "");
            }

            await EnsureSeatAsync(db, organizationId, ct);
            db.OrganizationMembers.Add(OrganizationMember.For(user, organizationId, OrganizationRole.Member));
            await Joining.OpenOffers.CloseAsync(db, user, organizationId, time.GetUtcNow().UtcDateTime, ct);
        }

        row.Active = true;
    }

    /// <summary>
    /// The directory speaks for the domains the organization proved by DNS, and only for them: a confirmed-address claim
    /// proves one mailbox, which must not let an organization pull the domain's other people in (or make their accounts).
    /// </summary>
    private static async Task RequireDnsVerifiedDomainAsync(IMultiOrgDb db, string email, CancellationToken ct)
    {
        var domain = EmailAddresses.DomainOf(email);
        if (!await db.Set<Joining.VerifiedDomain>().AnyAsync(d => d.DnsVerifiedDomain == domain, ct))
        {
            throw new DomainException(DomainErrorKind.Validation,
                $"{domain} is not one of this organization's DNS-verified domains (Settings → Joining): the directory provisions " +
                "only addresses there; invite others from the Members page.", ScimFields.Emails);
        }
    }

    private async Task<AppUser> NewAccountAsync(IMultiOrgDb db, string email, ScimUserInput input, CancellationToken ct)
    {
        var user = new AppUser
        {
            UserName = email,
            Email = email,
            NormalizedEmail = normalizer.NormalizeEmail(email),
            NormalizedUserName = normalizer.NormalizeName(email),
            DisplayName = DisplayNameOf(input),

            // The organization's provider vouches for an address at a domain the organization verified, as single sign-on does.
            EmailConfirmed = true,
            LockoutEnabled = true,
            SecurityStamp = Convert.ToHexString(RandomNumberGenerator.GetBytes(20)),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.Users.Add(user);
        return user;
    }

    private async Task EnsureSeatAsync(IMultiOrgDb db, Guid organizationId, CancellationToken ct)
    {
        try
        {
            await Billing.BillingService.EnsureSeatAvailableAsync(db, plans, organizationId, 1, ct);
        }
        catch (DomainException e) when (e.Kind == DomainErrorKind.Conflict)
        {
            throw new DomainException(DomainErrorKind.Forbidden, e.Message, ScimFields.Seats);
        }
    }

    private static async Task EnsureUniqueAsync(IMultiOrgDb db, Guid? self, string userName, string? externalId, CancellationToken ct)
    {
        var normalized = Normalize(userName);
        if (await db.Set<ScimUser>().AnyAsync(u => u.Id != self && u.NormalizedUserName == normalized, ct))
        {
            throw new DomainException(DomainErrorKind.Conflict, $"A user with userName {userName} exists already.", ScimFields.UserName);
        }

        if (externalId is not null && await db.Set<ScimUser>().AnyAsync(u => u.Id != self && u.ExternalId == externalId, ct))
        {
            throw new DomainException(DomainErrorKind.Conflict, $"A user with externalId {externalId} exists already.", ScimFields.ExternalId);
        }
    }

    private static (string UserName, string Email) Validate(ScimUserInput input, bool emailRequired = true)
    {
        var userName = Text.UserText.Name(input.UserName, ScimFields.UserName, "userName", ScimUser.TextMaxLength);
        foreach (var (value, field) in new[] { (input.ExternalId, ScimFields.ExternalId), (input.GivenName, "name.givenName"), (input.FamilyName, "name.familyName"), (input.DisplayName, ScimFields.DisplayName) })
        {
            if (value is not null && Text.UserText.Problem(value, field, ScimUser.TextMaxLength, out _) is { } problem && value.Length > 0)
            {
                throw DomainException.Invalid(field, problem);
            }
        }

        var email = input.Email?.Trim() is { Length: > 0 } given ? given : EmailAddresses.IsValid(userName) ? userName : null;
        if (emailRequired && (email is null || !EmailAddresses.IsValid(email)))
        {
            throw DomainException.Invalid(ScimFields.Emails, "Give the person's email address (emails, primary or work), or a userName that is one.");
        }

        return (userName, email ?? "");
    }

    private static void Apply(ScimUser row, ScimUserInput input)
    {
        row.ExternalId = Blank(input.ExternalId);
        row.GivenName = Blank(input.GivenName);
        row.FamilyName = Blank(input.FamilyName);
        row.DisplayName = Blank(input.DisplayName);
        row.Active = input.Active;
    }

    private static string? DisplayNameOf(ScimUserInput input)
    {
        var name = Blank(input.DisplayName) ?? Blank($"{input.GivenName} {input.FamilyName}");
        return name is null ? null : name.Length > AppUser.DisplayNameMaxLength ? name[..AppUser.DisplayNameMaxLength] : name;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Normalize(string userName) => userName.Trim().ToUpperInvariant();

    private static IQueryable<ScimUserView> Views(IMultiOrgDb db, IQueryable<ScimUser> users) =>
        users.Join(db.Users, s => s.UserId, u => u.Id, (s, u) => new ScimUserView(
            s.Id, s.UserName, s.ExternalId, s.GivenName, s.FamilyName, s.DisplayName, u.Email ?? "",

            // Active means a member now: someone removed on the members page reads as inactive, so the provider sees it.
            s.Active && db.OrganizationMembers.Any(m => m.OrganizationId == s.OrganizationId && m.UserId == s.UserId),
            s.CreatedAt, s.UpdatedAt));

    /// <summary>
    /// As single sign-on's just-in-time path (<c>account-exists</c>): an account the organization did not make is the
    /// person's, so the directory must not make it a member (and "SSO required" would then lock it out of its password).
    /// </summary>
    private static DomainException AccountExists(string email) => new(DomainErrorKind.Conflict,
        $"An account with {email} exists already and is not a member of this organization: invite them from the Members page, or they join themselves.",
        ScimFields.Emails);

    private static DomainException NotFound() => new(DomainErrorKind.NotFound, "User not found.");
}
