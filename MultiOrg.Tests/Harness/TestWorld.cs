using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MultiOrg.Data;
using MultiOrg.Domain;
using MultiOrg.Domain.Accounting;
using MultiOrg.Domain.Clients;
using MultiOrg.Domain.Mail;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Notes;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Domain.Users;

namespace MultiOrg.Tests.Harness;

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
        var scope = Services.CreateScope().ServiceProvider;
        scope.GetRequiredService<OrganizationDoor>().Admit(Caller.Person(userId), Door.Page, clientIp: null);
        return new Actor(userId, email, scope);
    }

    /// <summary>A service in a scope of its own with no one signed in: the cross-organization lookups (directories, jobs).</summary>
    public T Unscoped<T>(params object[] given) => ActivatorUtilities.CreateInstance<T>(Services.CreateScope().ServiceProvider, given);

    /// <summary>The cross-organization reads of security policies (password rules, audit retention), as the app's jobs use them.</summary>
    public MultiOrg.Domain.Security.SecurityLookup SecurityLookup() => Unscoped<MultiOrg.Domain.Security.SecurityLookup>();

    /// <summary>
    /// The app's own registrations (<c>AddMultiOrgDomain</c>, <c>AddMultiOrgData</c>) over the test database; only what a
    /// test must see or move is replaced: the clock, mail, outbound requests and DNS, and the event port.
    /// </summary>
    private ServiceProvider Services => services ??= BuildServices();

    private ServiceProvider? services;

    private ServiceProvider BuildServices()
    {
        var collection = new ServiceCollection();
        collection.AddMultiOrgDomain();
        collection.AddMultiOrgData(_ => Database.Provider);
        collection.AddTransient<TimeProvider>(_ => Time);
        collection.AddSingleton(Plans);
        collection.AddSingleton<MultiOrg.Domain.Events.IOrganizationEvents>(Events);
        collection.AddSingleton<IMemberNotices>(UnreadNotices.Instance);
        collection.AddSingleton<MultiOrg.Domain.Audit.IAuditNotices>(UnreadNotices.Instance);
        collection.AddSingleton<IOwnerNotices>(UnreadNotices.Instance);
        collection.AddSingleton<MultiOrg.Domain.Invitations.IInvitationSender>(UnreadNotices.Instance);
        collection.Configure<MultiOrg.Domain.Audit.AuditOptions>(options => (options.MinimumRetentionDays, options.RetentionNoticeDays) = (1, 0));
        collection.AddSingleton<MultiOrg.Domain.Branding.ILogoImages, MultiOrg.Web.Features.Branding.SkiaLogoImages>();
        collection.AddSingleton<MultiOrg.Domain.SingleSignOn.ISsoSecretProtector>(
            new MultiOrg.Web.Features.SingleSignOn.DataProtectionSsoSecretProtector(new Microsoft.AspNetCore.DataProtection.EphemeralDataProtectionProvider()));
        collection.AddSingleton(MultiOrg.Domain.Security.OutboundAddresses.PublicOnly);
        collection.AddSingleton<MultiOrg.Domain.Joining.IDnsTxtLookup>(UnreadNotices.Instance);
        return collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

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
        await actor.Get<OrganizationDoor>().EnterAsync(organizationId);
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

    public void Dispose()
    {
        services?.Dispose();
        Database.Dispose();
    }
}

/// <summary>
/// Domain tests' mail and DNS: nobody reads the mail here and no name server answers; the API and browser tests read the
/// real mails in a <see cref="Mailbox"/>, and DNS tests pass their own lookup (<see cref="DnsProofs"/>).
/// </summary>
public sealed class UnreadNotices : IMemberNotices, MultiOrg.Domain.Audit.IAuditNotices, IOwnerNotices,
    MultiOrg.Domain.Invitations.IInvitationSender, MultiOrg.Domain.Joining.IDnsTxtLookup
{
    public static UnreadNotices Instance { get; } = new();

    public QueuedMail EnqueueAdded(MultiOrg.Domain.IMultiOrgDb db, AddedToOrganizationLetter letter) => QueuedMail.None;

    public QueuedMail EnqueueRetentionShortening(MultiOrg.Domain.IMultiOrgDb db, MultiOrg.Domain.Audit.RetentionShorteningLetter letter) => QueuedMail.None;

    public QueuedMail Enqueue(MultiOrg.Domain.IMultiOrgDb db, Guid organizationId, IReadOnlyList<OwnerNotice> notices) => QueuedMail.None;

    public QueuedMail Enqueue(MultiOrg.Domain.IMultiOrgDb db, IReadOnlyList<MultiOrg.Domain.Invitations.InvitationLetter> letters) => QueuedMail.None;

    public Task<MultiOrg.Domain.Joining.TxtAnswer> TxtRecordsAsync(string domain, CancellationToken ct = default) =>
        Task.FromResult(MultiOrg.Domain.Joining.TxtAnswer.Failed("no name server in domain tests"));
}

/// <summary>One person's scope: the app's services as a circuit or request of theirs gets them.</summary>
public sealed record Actor(string UserId, string Email, IServiceProvider Services)
{
    public TenantContext Tenant => Get<TenantContext>();

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A service of this scope with some of its dependencies given (a clock, a mailbox, a name server).</summary>
    public T Create<T>(params object[] given) => ActivatorUtilities.CreateInstance<T>(Services, given);

    public OrganizationService Organizations => Get<OrganizationService>();
    public MemberService Members => Get<MemberService>();
    public NoteService Notes => Get<NoteService>();
    public ClientOnboardingService Onboarding => Get<ClientOnboardingService>();
    public AccountingService Accounting => Get<AccountingService>();
    public MultiOrg.Domain.Audit.AuditService Audit => Get<MultiOrg.Domain.Audit.AuditService>();
    public MultiOrg.Domain.Support.SupportService Support => Get<MultiOrg.Domain.Support.SupportService>();
    public MultiOrg.Domain.ApiKeys.ApiKeyService ApiKeys => Get<MultiOrg.Domain.ApiKeys.ApiKeyService>();
    public MultiOrg.Domain.Billing.BillingService Billing => Get<MultiOrg.Domain.Billing.BillingService>();
    public MultiOrg.Domain.Billing.StatementService Statements => Get<MultiOrg.Domain.Billing.StatementService>();
    public MultiOrg.Domain.FeatureSwitches.FeatureService Features => Get<MultiOrg.Domain.FeatureSwitches.FeatureService>();
    public MultiOrg.Domain.Security.SecurityPolicyService Security => Get<MultiOrg.Domain.Security.SecurityPolicyService>();
    public MultiOrg.Domain.Security.SessionService Sessions => Get<MultiOrg.Domain.Security.SessionService>();
    public MultiOrg.Domain.Teams.TeamService Teams => Get<MultiOrg.Domain.Teams.TeamService>();
    public OrganizationProfileService Profile => Get<OrganizationProfileService>();
    public MultiOrg.Domain.Joining.DirectoryService Directory => Get<MultiOrg.Domain.Joining.DirectoryService>();
    public MultiOrg.Domain.Branding.BrandingService Branding => Get<MultiOrg.Domain.Branding.BrandingService>();
    public OrganizationDashboardService Dashboard => Get<OrganizationDashboardService>();
}
