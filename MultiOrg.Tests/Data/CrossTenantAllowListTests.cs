using MultiOrg.Tests.Browser;

namespace MultiOrg.Tests.Data;

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

        // Finds an invitation by its token's hash, or those addressed to my confirmed email, before I belong to its organization.
        "MultiOrg.Domain/Invitations/InvitationInbox.cs",

        // Finds the organizations that verified the domain of an address just confirmed, before the person belongs to any.
        "MultiOrg.Domain/Joining/DomainAutoJoin.cs",

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
        "MultiOrg.Domain/Security/SecurityDirectory.cs",

        // Single sign-on before anyone is inside an organization: which provider an address's domain belongs to, and a
        // provider's settings for the sign-in handler; and, when an owner saves, whether another organization's provider
        // already serves a domain (only the domain name is compared, nothing is read back).
        "MultiOrg.Domain/SingleSignOn/SsoDirectory.cs",
        "MultiOrg.Domain/SingleSignOn/SingleSignOnService.cs",

        // Benchmark only (never shipped): the tenant filter measured against the same query with an explicit WHERE.
        "bench/MultiOrg.Bench/Scenarios.cs",
    ];

    [Fact]
    public void Only_the_allowed_services_ignore_the_tenant_filter()
    {
        var root = AppServer.RepositoryRoot();
        var offenders = new[] { "MultiOrg.Domain", "MultiOrg.Data", "MultiOrg.Web", "bench" }
            .SelectMany(project => Directory.EnumerateFiles(Path.Combine(root, project), "*.*", SearchOption.AllDirectories))
            .Where(path => path.EndsWith(".cs", StringComparison.Ordinal) || path.EndsWith(".razor", StringComparison.Ordinal))
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(path => File.ReadAllText(path).Contains("IgnoreQueryFilters", StringComparison.Ordinal))
            .Select(path => Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/'))
            .ToList();

        offenders.Should().BeEquivalentTo(Allowed);
    }
}
