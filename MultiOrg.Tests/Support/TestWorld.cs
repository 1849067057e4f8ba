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
    private static int nextUser;

    public TestDatabase Database { get; } = new();

    /// <summary>The plans shipped in appsettings.json (Free: 5 seats, 100 credits a month; Team; Business; Partner).</summary>
    public MultiOrg.Domain.Billing.PlanCatalog Plans { get; } = new(MultiOrg.Domain.Billing.BillingOptions.Defaults());

    /// <summary>The event port every scope publishes to, as one server's circuits share it.</summary>
    public MultiOrg.Web.Events.InProcessOrganizationEvents Events { get; } =
        new(Microsoft.Extensions.Logging.Abstractions.NullLogger<MultiOrg.Web.Events.InProcessOrganizationEvents>.Instance);

    /// <summary>The clock of every scope made after it is set (billing periods, statements, key expiry).</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>A person with a confirmed email (unless told otherwise), at example.test unless an address is given.</summary>
    public async Task<Actor> CreateUserAsync(string name, string? email = null, bool emailConfirmed = true)
    {
        // A number, not a GUID, makes the address unique: hex digits spell words ("bea", "cafe") that searches then also find.
        email ??= $"{name.ToLowerInvariant().Replace(' ', '.')}.{Interlocked.Increment(ref nextUser)}@example.test";
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
        var billing = new MultiOrg.Domain.Billing.BillingService(factory, tenant, Plans, Time);
        return new Actor(
            userId,
            email,
            tenant,
            new OrganizationService(factory, tenant, Events),
            new MemberService(factory, tenant, new UpperInvariantLookupNormalizer(), Plans, Events, UnreadNotices.Instance),
            new NoteService(factory, tenant),
            new ClientOnboardingService(factory, tenant, Plans, Time),
            new AccountingService(factory, tenant),
            new MultiOrg.Domain.Audit.AuditService(factory, tenant),
            new MultiOrg.Domain.Support.SupportService(factory, tenant, Events),
            new MultiOrg.Domain.ApiKeys.ApiKeyService(factory, tenant, Time, Plans),
            billing,
            new MultiOrg.Domain.Billing.StatementService(factory, tenant, Plans, billing, Time),
            new MultiOrg.Domain.Features.FeatureService(factory, tenant, Plans, Time),
            new MultiOrg.Domain.Security.SecurityPolicyService(
                factory, tenant, Time, Events, Microsoft.Extensions.Options.Options.Create(new MultiOrg.Domain.Audit.AuditOptions { MinimumRetentionDays = 1, RetentionNoticeDays = 0 }),
                UnreadNotices.Instance),
            new MultiOrg.Domain.Security.SessionService(factory, tenant, Time, Events),
            new MultiOrg.Domain.Teams.TeamService(factory, tenant),
            new OrganizationProfileService(factory, tenant),
            new MultiOrg.Domain.Joining.DirectoryService(factory, tenant, Plans),
            new MultiOrg.Domain.Branding.BrandingService(factory, tenant, new MultiOrg.Web.Branding.SkiaLogoImages()),
            new OrganizationDashboardService(factory, tenant, Time));
    }

    /// <summary>The cross-organization reads of security policies (password rules, audit retention), as the app's jobs use them.</summary>
    public MultiOrg.Domain.Security.SecurityDirectory SecurityDirectory() =>
        new(new MultiOrgDbFactory(Database.Provider, new TenantContext()));

    /// <summary>A new person who creates an organization and so owns it.</summary>
    public async Task<(Actor Owner, Guid OrganizationId)> OrganizationAsync(string name = "Acme", string ownerName = "Olivia")
    {
        var owner = await CreateUserAsync(ownerName);
        var organization = await owner.Organizations.CreateAsync(name);
        return (owner, organization.Id);
    }

    /// <summary>A new person the owner adds with a role, already inside the organization in their own scope.</summary>
    public async Task<Actor> JoinAsync(Actor owner, Guid organizationId, string name, OrganizationRole role)
    {
        var actor = await CreateUserAsync(name);
        await owner.Members.AddByEmailAsync(actor.Email, role);
        await actor.Organizations.EnterAsync(organizationId);
        return actor;
    }

    /// <summary>Who is a member of the organization with which role, read past every service.</summary>
    public async Task<Dictionary<string, OrganizationRole>> RolesAsync(Guid organizationId)
    {
        await using var db = Database.CreateContext();
        return await db.OrganizationMembers.IgnoreQueryFilters().Where(m => m.OrganizationId == organizationId)
            .ToDictionaryAsync(m => m.UserId, m => m.Role);
    }

    /// <summary>
    /// What a system administrator does through the partner designation, and the owner by taking the Partner plan
    /// (the plan that includes client organizations); here straight in the database.
    /// </summary>
    public async Task MakePartnerAsync(Guid organizationId)
    {
        await using var db = Database.CreateContext();
        await db.Organizations.Where(o => o.Id == organizationId)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Kind, OrganizationKind.Partner));
        await Database.SubscribeAsync(organizationId, Plans.Find("partner")!, Time.GetUtcNow().UtcDateTime);
    }

    /// <summary>What the <c>Administration:SupportStaff</c> / <c>SystemAdmins</c> settings do at start; here straight in the database.</summary>
    public async Task GrantAsync(Actor actor, GlobalRole role)
    {
        await using var db = Database.CreateContext();
        await db.Users.Where(u => u.Id == actor.UserId).ExecuteUpdateAsync(s => s.SetProperty(u => u.GlobalRole, role));
    }

    public void Dispose() => Database.Dispose();
}

/// <summary>Domain tests' mail: nobody reads it here; the API and browser tests read the real mails in a <see cref="Mailbox"/>.</summary>
public sealed class UnreadNotices : IMemberNotices, MultiOrg.Domain.Audit.IAuditNotices
{
    public static UnreadNotices Instance { get; } = new();

    public Task<bool> SendAddedAsync(AddedToOrganizationLetter letter, CancellationToken ct = default) => Task.FromResult(true);

    public Task<bool> SendRetentionShorteningAsync(MultiOrg.Domain.Audit.RetentionShorteningLetter letter, CancellationToken ct = default) => Task.FromResult(true);
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
    MultiOrg.Domain.Audit.AuditService Audit,
    MultiOrg.Domain.Support.SupportService Support,
    MultiOrg.Domain.ApiKeys.ApiKeyService ApiKeys,
    MultiOrg.Domain.Billing.BillingService Billing,
    MultiOrg.Domain.Billing.StatementService Statements,
    MultiOrg.Domain.Features.FeatureService Features,
    MultiOrg.Domain.Security.SecurityPolicyService Security,
    MultiOrg.Domain.Security.SessionService Sessions,
    MultiOrg.Domain.Teams.TeamService Teams,
    OrganizationProfileService Profile,
    MultiOrg.Domain.Joining.DirectoryService Directory,
    MultiOrg.Domain.Branding.BrandingService Branding,
    OrganizationDashboardService Dashboard);
