using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MultiOrg.Data;
using MultiOrg.Domain.Accounting;
using MultiOrg.Domain.Clients;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Notes;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Domain.Users;

namespace MultiOrg.Tests.Support;

/// <summary>Users and their service scopes over one real database, the way a circuit or a request sees them.</summary>
public sealed class TestWorld : IDisposable
{
    public TestDatabase Database { get; } = new();

    /// <summary>A person with a confirmed email (unless told otherwise), at example.test unless an address is given.</summary>
    public async Task<Actor> CreateUserAsync(string name, string? email = null, bool emailConfirmed = true)
    {
        email ??= $"{name.ToLowerInvariant().Replace(' ', '.')}.{Guid.NewGuid():N}@example.test";
        var user = new AppUser
        {
            UserName = email,
            Email = email,
            NormalizedEmail = email.ToUpperInvariant(),
            NormalizedUserName = email.ToUpperInvariant(),
            DisplayName = name,
            EmailConfirmed = emailConfirmed,
            SecurityStamp = Guid.NewGuid().ToString(),
        };
        await using (var db = Database.CreateContext())
        {
            db.Users.Add(user);
            await db.SaveChangesAsync();
        }

        return NewScope(user.Id, email);
    }

    /// <summary>A fresh scope (think: a new browser tab or request) for an existing user.</summary>
    public Actor NewScope(string userId, string email)
    {
        var tenant = new TenantContext();
        tenant.SetUser(userId);
        var factory = new MultiOrgDbFactory(Database.Provider, tenant);
        return new Actor(
            userId,
            email,
            tenant,
            new OrganizationService(factory, tenant),
            new MemberService(factory, tenant, new UpperInvariantLookupNormalizer()),
            new NoteService(factory, tenant),
            new ClientOnboardingService(factory, tenant),
            new AccountingService(factory, tenant),
            new MultiOrg.Domain.Audit.AuditService(factory, tenant));
    }

    /// <summary>What a system administrator does through the partner designation; here straight in the database.</summary>
    public async Task MakePartnerAsync(Guid organizationId)
    {
        await using var db = Database.CreateContext();
        await db.Organizations.Where(o => o.Id == organizationId)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Kind, OrganizationKind.Partner));
    }

    public void Dispose() => Database.Dispose();
}

public sealed record Actor(
    string UserId,
    string Email,
    TenantContext Tenant,
    OrganizationService Organizations,
    MemberService Members,
    NoteService Notes,
    ClientOnboardingService Onboarding,
    AccountingService Accounting,
    MultiOrg.Domain.Audit.AuditService Audit);
