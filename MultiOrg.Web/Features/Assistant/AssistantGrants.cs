using Microsoft.EntityFrameworkCore;
using MultiOrg.Data;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Tenancy;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MultiOrg.Web.Features.Assistant;

/// <summary>One assistant connection: a grant (OpenIddict authorization) a person gave a client for some of their organizations.</summary>
public sealed record AssistantGrantView(string Id, string ClientName, string PersonEmail, IReadOnlyList<string> Organizations, DateTime? CreatedAt);

/// <summary>A grant that may answer prompt=none: its id and scopes (its organizations).</summary>
public sealed record StandingGrant(string Id, IReadOnlyList<string> Scopes);

/// <summary>What the consent page shows: the client, the organization of the URL and the person's other organizations.</summary>
public sealed record AssistantConsentView(string ClientName, OrganizationSummary Organization, IReadOnlyList<OrganizationSummary> Others);

/// <summary>
/// The assistant connections of a person (Your account) and of an organization (its OWNERs and ADMINs, the people who
/// manage its API keys), and their revocation: the grant and every token it issued end at once, on every server.
/// </summary>
/// <remarks>A circuit lives for hours and a DbContext must not: each operation reads through a scope of its own.</remarks>
public sealed class AssistantGrants(IServiceScopeFactory scopes, TenantContext tenant, OrganizationService organizations, TimeProvider time)
{
    /// <summary>The person's security stamp when they gave the grant: "sign out everywhere" ends the grant's tokens.</summary>
    public const string StampClaim = "mo:stamp";

    public async Task<AssistantConsentView> ConsentAsync(string clientId, Guid organizationId, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var application = await applications.FindByClientIdAsync(clientId, ct)
            ?? throw new DomainException(DomainErrorKind.NotFound, "This assistant is not registered here: connect it again from the assistant.");
        var mine = await organizations.ListMineAsync(ct);
        var organization = mine.FirstOrDefault(o => o.Id == organizationId)
            ?? throw new DomainException(DomainErrorKind.Forbidden, DomainMessages.NoAccess);
        return new AssistantConsentView(
            await applications.GetDisplayNameAsync(application, ct) ?? clientId,
            organization,
            [.. mine.Where(o => o.Id != organizationId).OrderBy(o => o.Name)]);
    }

    /// <summary>
    /// The person's grant to this client that covers the organization and still stands: valid, holding a refresh token
    /// that works, given under the person's current security stamp (signing out everywhere ends it). Null: none.
    /// </summary>
    public async Task<StandingGrant?> StandingAsync(string userId, string applicationId, Guid organizationId, string? stamp, CancellationToken ct = default)
    {
        var granted = AssistantAuthorization.OrganizationScopePrefix + organizationId;
        var now = time.GetUtcNow().UtcDateTime;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MultiOrgDbContext>();
        var candidates = await Valid(db)
            .Where(a => a.Subject == userId && a.Application!.Id == applicationId && a.Type == AuthorizationTypes.Permanent && a.Scopes!.Contains(granted)
                && a.Tokens.Any(t => (t.Type == TokenTypeIdentifiers.RefreshToken || t.Type == TokenTypeHints.RefreshToken) && t.Status == Statuses.Valid && t.ExpirationDate > now))
            .OrderByDescending(a => a.CreationDate)
            .Select(a => new { a.Id, a.Scopes, a.Properties })
            .ToListAsync(ct);
        return candidates
            .Where(c => stamp is not null && c.Properties is not null
                && System.Text.Json.Nodes.JsonNode.Parse(c.Properties)?[StampClaim]?.GetValue<string>() == stamp)
            .Select(c => new StandingGrant(c.Id!, System.Text.Json.JsonSerializer.Deserialize<string[]>(c.Scopes!) ?? []))
            .FirstOrDefault();
    }

    public async Task<IReadOnlyList<AssistantGrantView>> ListMineAsync(CancellationToken ct = default)
    {
        var userId = tenant.RequireUser();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MultiOrgDbContext>();
        return await ViewsAsync(db, Valid(db).Where(a => a.Subject == userId), ct);
    }

    /// <summary>The current organization's connections (everyone's): for the people who manage its API keys.</summary>
    public async Task<IReadOnlyList<AssistantGrantView>> ListOrganizationsAsync(CancellationToken ct = default)
    {
        await organizations.RequirePermissionAsync(Domain.Permissions.Permission.ManageApiKeys, ct);
        var granted = AssistantAuthorization.OrganizationScopePrefix + tenant.RequireOrganization();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MultiOrgDbContext>();
        return await ViewsAsync(db, Valid(db).Where(a => a.Scopes!.Contains(granted)), ct);
    }

    public async Task RevokeMineAsync(string grantId, CancellationToken ct = default)
    {
        var userId = tenant.RequireUser();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MultiOrgDbContext>();
        var grant = await Valid(db).FirstOrDefaultAsync(a => a.Id == grantId && a.Subject == userId, ct)
            ?? throw new DomainException(DomainErrorKind.NotFound, "This assistant connection is not yours, or was revoked already.");
        await RevokeAsync(scope.ServiceProvider, grant.Id!, ct);
    }

    /// <summary>Ends a connection that covers the current organization (the whole grant: its other organizations too).</summary>
    public async Task RevokeInOrganizationAsync(string grantId, CancellationToken ct = default)
    {
        await organizations.RequirePermissionAsync(Domain.Permissions.Permission.ManageApiKeys, ct);

        // The grants are the sign-in server's rows, not the organization's, so the read-only context's save guard never sees them.
        Domain.Permissions.Access.RequireMayWrite(tenant);
        var granted = AssistantAuthorization.OrganizationScopePrefix + tenant.RequireOrganization();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MultiOrgDbContext>();
        var grant = await Valid(db).FirstOrDefaultAsync(a => a.Id == grantId && a.Scopes!.Contains(granted), ct)
            ?? throw new DomainException(DomainErrorKind.NotFound, "This assistant connection does not reach this organization, or was revoked already.");
        await RevokeAsync(scope.ServiceProvider, grant.Id!, ct);
    }

    private static IQueryable<OpenIddictEntityFrameworkCoreAuthorization> Valid(MultiOrgDbContext db) =>
        db.Set<OpenIddictEntityFrameworkCoreAuthorization>().AsNoTracking().Where(a => a.Status == Statuses.Valid);

    private static async Task RevokeAsync(IServiceProvider services, string grantId, CancellationToken ct)
    {
        var authorizations = services.GetRequiredService<IOpenIddictAuthorizationManager>();
        if (await authorizations.FindByIdAsync(grantId, ct) is { } grant)
        {
            await authorizations.TryRevokeAsync(grant, ct);
        }

        await services.GetRequiredService<IOpenIddictTokenManager>().RevokeByAuthorizationIdAsync(grantId, ct);
    }

    private static async Task<IReadOnlyList<AssistantGrantView>> ViewsAsync(MultiOrgDbContext db, IQueryable<OpenIddictEntityFrameworkCoreAuthorization> grants, CancellationToken ct)
    {
        var rows = await grants.OrderByDescending(a => a.CreationDate)
            .Select(a => new { a.Id, a.Subject, a.Scopes, a.CreationDate, Client = a.Application!.DisplayName ?? a.Application.ClientId })
            .ToListAsync(ct);
        var people = rows.Select(r => r.Subject).Distinct().ToList();
        var emails = await db.Users.Where(u => people.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email ?? "", ct);
        var organizationIds = rows.SelectMany(r => ScopesOf(r.Scopes)).Distinct().ToList();
        var names = await db.Organizations.Where(o => organizationIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        return
        [
            .. rows.Select(r => new AssistantGrantView(
                r.Id!,
                r.Client ?? "Unnamed assistant",
                emails.GetValueOrDefault(r.Subject ?? "", ""),
                [.. ScopesOf(r.Scopes).Select(id => names.GetValueOrDefault(id, "a deleted organization")).Order()],
                r.CreationDate)),
        ];
    }

    private static IEnumerable<Guid> ScopesOf(string? scopes) =>
        (scopes is null ? [] : System.Text.Json.JsonSerializer.Deserialize<string[]>(scopes) ?? [])
            .Where(s => s.StartsWith(AssistantAuthorization.OrganizationScopePrefix, StringComparison.Ordinal))
            .Select(s => Guid.TryParse(s.AsSpan(AssistantAuthorization.OrganizationScopePrefix.Length), out var id) ? id : Guid.Empty)
            .Where(id => id != Guid.Empty);
}
