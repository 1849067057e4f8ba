using MultiOrg.Tests.Browser;

namespace MultiOrg.Tests.Conventions;

/// <summary>
/// Reading across organizations is reserved to a short, reviewed list of services. Adding one means adding it here,
/// in a change a reviewer sees.
/// </summary>
public sealed class CrossTenantAllowListTests
{
    private static readonly string[] Allowed =
    [
        // Turns a presented API key into its organization before any tenant is known.
        "MultiOrg.Domain/ApiKeys/ApiKeyService.cs",

        // Turns a presented SCIM token into its organization before any tenant is known (the same lookup as API keys).
        "MultiOrg.Domain/Scim/ScimTokenService.cs",

        // Finds an invitation by its token's hash, or those addressed to my confirmed email, before I belong to its organization.
        "MultiOrg.Domain/Invitations/InvitationInbox.cs",

        // Finds the organizations that verified the domain of an address just confirmed, before the person belongs to any.
        "MultiOrg.Domain/Joining/DomainAutoJoin.cs",

        // The daily re-check of DNS-verified domains lists every organization's proofs, then changes each under that
        // organization's job tenant (audited).
        "MultiOrg.Domain/Joining/DomainVerificationService.cs",

        // Appends to the audit chain of the organization a save changes: reads that organization's last entry.
        "MultiOrg.Data/MultiOrgDbContext.cs",

        // Partner aggregation: the dashboard, drift and push previews read the partner's own clients (narrowed by
        // PartnerOrganizationId in every query), grouped by organization, never another partner's.
        "MultiOrg.Domain/Clients/PartnerAggregationService.cs",

        // Statements: a partner's consolidated statement and client cost table read the statements of its own clients
        // (narrowed by PartnerOrganizationId); the period-close job lists the organizations whose period has ended.
        "MultiOrg.Domain/Billing/StatementService.cs",

        // Security policies that cross organizations by nature: the password rules of every organization a person belongs
        // to, and audit retention visiting each organization that set a period (each purge itself audited).
        "MultiOrg.Domain/Security/SecurityLookup.cs",

        // Single sign-on before anyone is inside an organization: which provider an address's domain belongs to, and a
        // provider's settings for the sign-in handler; and, when an owner saves, whether another organization's provider
        // already serves a domain (only the domain name is compared, nothing is read back).
        "MultiOrg.Domain/SingleSignOn/SsoLookup.cs",
        "MultiOrg.Domain/SingleSignOn/SingleSignOnService.cs",

        // SAML sign-in before anyone is inside an organization: a turned-on SAML provider's settings by organization
        // (the response is checked against them), and, when an owner saves, whether another organization's provider
        // already serves a domain (only the domain name is compared).
        "MultiOrg.Domain/SingleSignOn/SamlLookup.cs",
        "MultiOrg.Domain/SingleSignOn/SamlSettingsService.cs",

        // Deleted organizations' audit trails for support and system administrators: one deleted organization's entries
        // by its id (no living tenant can be entered), read-only.
        "MultiOrg.Domain/Audit/AuditArchiveService.cs",

        // The start-up check of stored names against the name rule: reads every organization's names, reports only ids.
        "MultiOrg.Domain/Text/UnsafeNames.cs",

        // Benchmark only (never shipped): the tenant filter measured against the same query with an explicit WHERE.
        "bench/MultiOrg.Bench/Scenarios.cs",
    ];

    /// <summary>
    /// ExecuteUpdate and ExecuteDelete write without SaveChanges, so without its per-row audit and tenant stamping (the
    /// tenant filter still narrows them, and the bulk-write guard refuses them on organization data during a read-only
    /// impersonation). Each file that uses them, and why that is right there:
    /// </summary>
    private static readonly string[] BulkWriters =
    [
        // Sort keys of a renamed person's memberships, inside the save that renamed them (the rename is the audited change).
        "MultiOrg.Data/MultiOrgDbContext.Units.cs",

        // Demo data at first start, before any request.
        "MultiOrg.Data/Seed/DemoData.cs",

        // The presented key's LastUsedAt (a usage stamp, at most once a minute), before any tenant is known.
        "MultiOrg.Domain/ApiKeys/ApiKeyService.cs",

        // The presented SCIM token's LastUsedAt, the same usage stamp, before any tenant is known.
        "MultiOrg.Domain/Scim/ScimTokenService.cs",

        // Job run leases: the application's own bookkeeping, no organization's data.
        "MultiOrg.Domain/Jobs/JobLeases.cs",

        // Removed people's LastOrganizationId (their own account rows), after the audited save of the removal.
        "MultiOrg.Domain/Members/MemberService.cs",

        // Switch: the person's LastOrganizationId and the membership's hourly activity stamp (not a change anyone made;
        // skipped during an impersonation). Delete: the organization row after DeleteOrganization, which no
        // impersonation holds; its tenant-owned rows go by the foreign keys' cascade, except its audit entries (no key),
        // whose chain ends are first written to DeletedOrganizations.
        "MultiOrg.Domain/Organizations/OrganizationService.cs",

        // Audit retention: the job deletes one organization's entries past its period, under that organization's
        // tenant, and audits the purge in the same transaction; a deleted organization's trail goes whole once it is
        // older than the minimum retention.
        "MultiOrg.Domain/Security/SecurityLookup.cs",

        // Used refresh tokens (account rows, no organization's data): a replay ends the family's rows, the hourly job
        // purges expired ones. The replay itself is audited in each of the person's organizations.
        "MultiOrg.Domain/Security/RefreshTokenService.cs",

        // A person's own browser sessions and security stamp (account rows); signing a member out everywhere first
        // saves the audited change of the membership.
        "MultiOrg.Domain/Security/SessionService.cs",

        // The person's own display preference.
        "MultiOrg.Domain/Users/UserPreferenceService.cs",

        // Global roles from configuration at start, before any request.
        "MultiOrg.Web/Hosting/DatabaseSetup.cs",

        // The mail outbox (no organization's data): a mail's claim, its sent or failed stamp under that claim, and the
        // purge of month-old sent records. A given-up mail is audited in its organization through OutboxAudit.
        "MultiOrg.Web/Email/MailOutbox.cs",
    ];

    /// <summary>
    /// The other ways out of the caller's tenant: a context made for another organization (<c>ActingIn</c>, a job's
    /// <c>TenantContext.ForJob</c>), a database opened under it (<c>CreateFor</c>), and the tenant entered or replaced in
    /// place (<c>Enter</c>, an impersonation's begin and end). Each file that uses one, and why it may:
    /// </summary>
    private static readonly string[] TenantExits =
    [
        // Where the exits are defined: the tenant, the factory's port and its implementation.
        "MultiOrg.Domain/Tenancy/TenantContext.cs",
        "MultiOrg.Domain/IMultiOrgDb.cs",
        "MultiOrg.Data/MultiOrgDbProvider.cs",

        // Demo data at first start, before any request: each demo organization is written as its owner.
        "MultiOrg.Data/Seed/DemoData.cs",

        // Entering an organization after the membership and its policies (allow-list, two-factor) were checked; the
        // policies are read as that organization first.
        "MultiOrg.Domain/Organizations/OrganizationService.cs",

        // A person who changed their own role sees the new role in their own tenant (same organization).
        "MultiOrg.Domain/Members/MemberService.cs",
        "MultiOrg.Domain/Members/MemberService.Bulk.cs",

        // Support staff (checked first): credit adjustments in a chosen organization; the period-close job rolling one
        // organization's billing forward; a partner's OWNER choosing who pays its own client's statements.
        "MultiOrg.Domain/Billing/BillingService.Credits.cs",
        "MultiOrg.Domain/Billing/BillingService.Period.cs",
        "MultiOrg.Domain/Billing/StatementService.cs",

        // A partner acting as ADMIN in its own clients (PartnerOrganizationId checked first): onboarding (the copy path
        // reads the source as that organization), configuration push.
        "MultiOrg.Domain/Clients/ClientOnboardingService.cs",
        "MultiOrg.Domain/Clients/ClientOnboardingService.Copy.cs",
        "MultiOrg.Domain/Clients/ConfigurationPushService.cs",

        // Accepting an invitation addressed to me: the join is written in the invitation's organization.
        "MultiOrg.Domain/Invitations/InvitationInbox.cs",

        // Joining an open organization from the directory, or one that verified my confirmed address's domain.
        "MultiOrg.Domain/Joining/DirectoryService.cs",
        "MultiOrg.Domain/Joining/DomainAutoJoin.cs",

        // The daily DNS re-check changes each organization's domain under that organization's job tenant (audited).
        "MultiOrg.Domain/Joining/DomainVerificationService.cs",

        // Job run leases under an empty tenant: the application's own bookkeeping, no organization's data.
        "MultiOrg.Domain/Jobs/JobLeases.cs",

        // A mail the outbox gave up, recorded in its organization's audit log under that organization's job tenant.
        "MultiOrg.Domain/Mail/OutboxAudit.cs",

        // A SCIM token enters its one organization; SCIM writes stay in that organization.
        "MultiOrg.Domain/Scim/ScimTokenService.cs",
        "MultiOrg.Domain/Scim/ScimUserService.cs",

        // A replayed refresh token is audited in each organization the person belongs to.
        "MultiOrg.Domain/Security/RefreshTokenService.cs",

        // Audit retention: the job purges each organization's old entries under that organization's job tenant.
        "MultiOrg.Domain/Security/SecurityLookup.cs",

        // Single sign-on: break-glass sign-in audited in its organization; first sign-in through an organization's
        // provider makes the membership there.
        "MultiOrg.Domain/SingleSignOn/BreakGlassSignIn.cs",
        "MultiOrg.Domain/SingleSignOn/SsoProvisioning.cs",

        // Impersonation: support staff (checked, time-limited, audited) enter an organization without a membership.
        "MultiOrg.Domain/Support/SupportService.cs",
    ];

    /// <summary>
    /// Memberships carry no tenant filter (a person lists their own across organizations), so every query of the
    /// membership set names the organization or the person. Each statement that names neither, and why it is safe:
    /// </summary>
    private static readonly string[] UnnarrowedMembershipQueries =
    [
        // The member list's second step: the ids of one page of a query narrowed by the organization (the first step).
        "MultiOrg.Domain/Members/MemberService.cs: var items = await ToViews(Order(db.OrganizationMembers.AsNoTracking().Where(m => pageIds.Contains(m.Id)), query))",
    ];

    [Fact]
    public void Only_the_allowed_files_act_outside_the_callers_tenant() =>
        FilesContaining("ActingIn(", "ForJob(", "CreateFor(", ".Enter(", "BeginImpersonation(", "EndImpersonation(").Should().BeEquivalentTo(TenantExits,
            "ActingIn, TenantContext.ForJob, CreateFor, Enter and impersonation act in an organization other than the caller's: "
            + "use the service's own tenant (dbFactory.Create()), or add the file to CrossTenantAllowListTests.TenantExits with the reason "
            + "it may act there, in a change a reviewer sees");

    [Fact]
    public void Every_query_of_memberships_names_the_organization_or_the_person() =>
        MembershipQueriesNamingNeither().Should().BeEquivalentTo(UnnarrowedMembershipQueries,
            "memberships have no tenant filter: narrow the query by OrganizationId or UserId, or add \"file: first line\" to "
            + "CrossTenantAllowListTests.UnnarrowedMembershipQueries with the reason it cannot reach another organization's members");

    /// <summary>
    /// Each statement (up to its semicolon) that reads the membership set, as "file: first line", unless it mentions
    /// OrganizationId or UserId. Adding, removing and attaching entities already in hand are not queries, nor comments.
    /// </summary>
    internal static List<string> MembershipQueriesNamingNeither() =>
        SourceFiles()
            .SelectMany(path => MembershipStatements(File.ReadAllText(path)).Select(line => $"{Relative(path)}: {line}"))
            .ToList();

    private static IEnumerable<string> MembershipStatements(string text)
    {
        foreach (System.Text.RegularExpressions.Match use in System.Text.RegularExpressions.Regex.Matches(
            text, @"(?<![\w""])(OrganizationMembers|Set<OrganizationMember>\(\))(?![\w""])"))
        {
            var lineStart = text.LastIndexOf('\n', use.Index) + 1;
            var lineEnd = text.IndexOf('\n', use.Index) is var end and >= 0 ? end : text.Length;
            var line = text[lineStart..lineEnd].Trim();
            var statementEnd = text.IndexOf(';', use.Index) is var semicolon and >= 0 ? semicolon : text.Length;
            var statement = text[use.Index..statementEnd];
            var isDeclaration = line.Contains("DbSet<", StringComparison.Ordinal) || line.StartsWith("//", StringComparison.Ordinal)
                || line.StartsWith('*');
            var isWrite = System.Text.RegularExpressions.Regex.IsMatch(statement, @"^(OrganizationMembers|Set<OrganizationMember>\(\))\s*\.(Add|AddRange|Remove|RemoveRange|Attach)\(");
            if (!isDeclaration && !isWrite && !statement.Contains("OrganizationId", StringComparison.Ordinal)
                && !statement.Contains("UserId", StringComparison.Ordinal))
            {
                yield return line;
            }
        }
    }

    [Fact]
    public void Only_the_allowed_services_ignore_the_tenant_filter() =>
        FilesContaining("IgnoreQueryFilters").Should().BeEquivalentTo(Allowed);

    [Fact]
    public void Only_the_allowed_files_write_in_bulk() =>
        FilesContaining(".ExecuteUpdate", ".ExecuteDelete").Should().BeEquivalentTo(BulkWriters,
            "a new ExecuteUpdate/ExecuteDelete skips the save's audit: write through SaveChanges, or add the file here with the reason");

    private static List<string> FilesContaining(params string[] words) =>
        SourceFiles()
            .Where(path => File.ReadAllText(path) is var text && words.Any(word => text.Contains(word, StringComparison.Ordinal)))
            .Select(Relative)
            .ToList();

    private static IEnumerable<string> SourceFiles()
    {
        var root = AppServer.RepositoryRoot();
        return new[] { "MultiOrg.Domain", "MultiOrg.Data", "MultiOrg.Web", "bench" }
            .SelectMany(project => Directory.EnumerateFiles(Path.Combine(root, project), "*.*", SearchOption.AllDirectories))
            .Where(path => path.EndsWith(".cs", StringComparison.Ordinal) || path.EndsWith(".razor", StringComparison.Ordinal))
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
    }

    private static string Relative(string path) =>
        Path.GetRelativePath(AppServer.RepositoryRoot(), path).Replace(Path.DirectorySeparatorChar, '/');
}
