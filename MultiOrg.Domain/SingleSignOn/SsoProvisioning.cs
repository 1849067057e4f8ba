using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Billing;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Domain.Users;

namespace MultiOrg.Domain.SingleSignOn;

/// <summary>The outcome of a sign-in through an organization's provider, for the person it signed in.</summary>
public sealed record SsoJoinOutcome(Guid OrganizationId, string OrganizationName, OrganizationRole Role, bool Joined);

/// <summary>
/// Who the provider vouched for: its issuer and subject (the only key of the link), and the address it marked verified.
/// </summary>
public sealed record SsoIdentity(string Issuer, string Subject, string Email)
{
    /// <summary>The stored login's key: an issuer has no fragment, so <c>#</c> cannot be part of it.</summary>
    public string ProviderKey => $"{Issuer}#{Subject}";
}

/// <summary>Why a sign-in through a provider was turned away; nothing of it was written.</summary>
public enum SsoRefusal
{
    /// <summary>An account holds the address and did not ask, signed in, to connect this provider.</summary>
    AccountExists,

    /// <summary>The signed-in holder asked to connect, but the provider vouched for another address.</summary>
    OtherAddress,
    LockedOut,
    SeatLimit,

    /// <summary>A step-up: the provider's sign-in is connected to another account, or the address to another account.</summary>
    LinkedElsewhere,
}

/// <summary>The account signed in (with its membership), or the refusal.</summary>
public sealed record SsoSignInOutcome(AppUser? User, SsoJoinOutcome? Join, SsoRefusal? Refusal)
{
    public static SsoSignInOutcome Refused(SsoRefusal refusal) => new(null, null, refusal);
}

/// <summary>
/// A sign-in through an organization's provider, as one unit: the account (created when the provider is the first to
/// know the person), the provider link and the just-in-time membership commit together or not at all.
/// A provider links to an existing account only when that account's holder, signed in at that moment, asked to connect
/// it: a provider that vouches for an address (even as a member's, even as verified) proves nothing about who holds the
/// MultiOrg account with that address, since whoever owns an organization may run its provider. A sign-in never changes
/// an existing member's role; the join lands in the organization's audit log.
/// </summary>
public sealed class SsoProvisioning(IMultiOrgDbFactory dbFactory, TenantContext tenant, PlanCatalog plans, TimeProvider time)
{
    /// <param name="newAccount">
    /// The account to create when no one holds the address yet, as Identity prepared it (normalised names, stamps).
    /// </param>
    /// <param name="connectingUserId">
    /// The account whose holder is signed in and chose "connect" for this sign-in; null for a plain sign-in.
    /// </param>
    public async Task<SsoSignInOutcome> SignInAsync(
        SsoIdentity identity, SsoClient client, AppUser newAccount, string? connectingUserId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(newAccount);
        var loginProvider = LoginProvider(client.OrganizationId);
        await using var lookup = dbFactory.Create();
        var linkedId = await lookup.Set<IdentityUserLogin<string>>().AsNoTracking()
            .Where(l => l.LoginProvider == loginProvider && l.ProviderKey == identity.ProviderKey).Select(l => l.UserId).SingleOrDefaultAsync(ct);
        var userId = linkedId ?? connectingUserId ?? newAccount.Id;
        var acting = tenant.ActingIn(userId, client.OrganizationId, client.OrganizationName, client.DefaultRole);
        await using var db = dbFactory.CreateFor(acting);
        return await db.WriteAsync(
            async ct =>
            {
                var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, ct);
                if (linkedId is null && user is not null)
                {
                    // Connecting: the provider must vouch for the very address of the account whose holder asked.
                    if (!string.Equals(user.NormalizedEmail, newAccount.NormalizedEmail, StringComparison.Ordinal))
                    {
                        return SsoSignInOutcome.Refused(SsoRefusal.OtherAddress);
                    }
                }
                else if (user is null)
                {
                    if (linkedId is not null || connectingUserId is not null
                        || await db.Users.AnyAsync(u => u.NormalizedEmail == newAccount.NormalizedEmail || u.NormalizedUserName == newAccount.NormalizedUserName, ct))
                    {
                        return SsoSignInOutcome.Refused(SsoRefusal.AccountExists);
                    }

                    user = newAccount;
                    db.Users.Add(user);
                }

                if (user.LockoutEnabled && user.LockoutEnd > time.GetUtcNow())
                {
                    return SsoSignInOutcome.Refused(SsoRefusal.LockedOut);
                }

                if (linkedId is null)
                {
                    db.Set<IdentityUserLogin<string>>().Add(new IdentityUserLogin<string>
                    {
                        LoginProvider = loginProvider, ProviderKey = identity.ProviderKey, ProviderDisplayName = client.OrganizationName, UserId = user.Id,
                    });
                }

                var existing = await db.OrganizationMembers
                    .Where(m => m.UserId == user.Id && m.OrganizationId == client.OrganizationId).Select(m => (OrganizationRole?)m.Role).SingleOrDefaultAsync(ct);
                if (existing is null)
                {
                    try
                    {
                        await BillingService.EnsureSeatAvailableAsync(db, plans, client.OrganizationId, 1, ct);
                    }
                    catch (DomainException e) when (e.Kind == DomainErrorKind.Conflict)
                    {
                        return SsoSignInOutcome.Refused(SsoRefusal.SeatLimit);
                    }

                    db.OrganizationMembers.Add(OrganizationMember.For(user, client.OrganizationId, client.DefaultRole));
                    await Joining.OpenOffers.CloseAsync(db, user, client.OrganizationId, time.GetUtcNow().UtcDateTime, ct);
                }

                // Where the person lands after signing in: the organization whose provider they came through. The provider
                // vouched for the address (marked verified, at one of the organization's verified domains).
                user.LastOrganizationId = client.OrganizationId;
                user.EmailConfirmed = true;
                await db.SaveChangesAsync(ct);
                return new SsoSignInOutcome(user, new SsoJoinOutcome(client.OrganizationId, client.OrganizationName, existing ?? client.DefaultRole, existing is null), null);
            },
            ct);
    }

    /// <summary>
    /// A member whose address is elsewhere passes the organization's provider for this session (a step-up): the provider's
    /// sign-in must be the one linked to this account, or linked to nobody and vouching for an address no other account
    /// holds, and then it is linked now (the holder is signed in and chose the step-up). Null when it passed.
    /// </summary>
    public async Task<SsoRefusal?> StepUpAsync(SsoIdentity identity, SsoClient client, string userId, string normalizedEmail, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(client);
        var loginProvider = LoginProvider(client.OrganizationId);
        await using var db = dbFactory.CreateFor(tenant.ActingIn(userId, client.OrganizationId, client.OrganizationName, client.DefaultRole));
        return await db.WriteAsync(
            async ct =>
            {
                var links = await db.Set<IdentityUserLogin<string>>().AsNoTracking()
                    .Where(l => l.LoginProvider == loginProvider && (l.ProviderKey == identity.ProviderKey || l.UserId == userId))
                    .Select(l => new { l.UserId, l.ProviderKey }).ToListAsync(ct);
                if (links.Any(l => l.ProviderKey == identity.ProviderKey && l.UserId == userId))
                {
                    return (SsoRefusal?)null;
                }

                // Linked to someone else, another sign-in of this provider already linked here, or an account that holds the
                // address: none of them is this holder's to take.
                if (links.Count > 0
                    || await db.Users.AnyAsync(u => u.Id != userId && u.NormalizedEmail == normalizedEmail, ct)
                    || !await db.OrganizationMembers.AnyAsync(m => m.UserId == userId, ct))
                {
                    return SsoRefusal.LinkedElsewhere;
                }

                var lockout = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.LockoutEnabled, u.LockoutEnd }).SingleAsync(ct);
                if (lockout.LockoutEnabled && lockout.LockoutEnd > time.GetUtcNow())
                {
                    return SsoRefusal.LockedOut;
                }

                db.Set<IdentityUserLogin<string>>().Add(new IdentityUserLogin<string>
                {
                    LoginProvider = loginProvider, ProviderKey = identity.ProviderKey, ProviderDisplayName = client.OrganizationName, UserId = userId,
                });
                await db.SaveChangesAsync(ct);
                return null;
            },
            ct);
    }

    /// <summary>The login provider stored with the person's account: the organization, not the version, so it survives changes.</summary>
    public static string LoginProvider(Guid organizationId) => $"sso:{organizationId:N}";
}
