using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MultiOrg.Data;
using MultiOrg.Domain;
using MultiOrg.Domain.Clients;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Notes;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Bench;

/// <summary>One thing to time at one size: the real services over the benchmark world, as a circuit calls them.</summary>
internal sealed record Scenario(string Group, string Name, long Size, string SizeLabel, Func<Task> Action, string? Note = null);

/// <summary>
/// The services a circuit has (one DI scope per circuit, as the app registers them), built over one world file.
/// Resolved through DI rather than constructors so a new service dependency does not break the benchmark's build.
/// </summary>
internal sealed class Circuit : IAsyncDisposable
{
    private readonly AsyncServiceScope scope;

    public Circuit(ServiceProvider services, string userId)
    {
        scope = services.CreateAsyncScope();
        Tenant = scope.ServiceProvider.GetRequiredService<TenantContext>();
        Door.Admit(Caller.Person(userId), MultiOrg.Domain.Tenancy.Door.Page, null);
    }

    public TenantContext Tenant { get; }

    public IServiceProvider Provider => scope.ServiceProvider;

    public OrganizationService Organizations => scope.ServiceProvider.GetRequiredService<OrganizationService>();

    /// <summary>The way into an organization, as the layout's circuit door uses it.</summary>
    public OrganizationDoor Door => scope.ServiceProvider.GetRequiredService<OrganizationDoor>();

    public MemberService Members => scope.ServiceProvider.GetRequiredService<MemberService>();

    public NoteService Notes => scope.ServiceProvider.GetRequiredService<NoteService>();

    public MultiOrgDbContext CreateContext() => scope.ServiceProvider.GetRequiredService<MultiOrgDbProvider>().Create(Tenant);

    public ValueTask DisposeAsync() => scope.DisposeAsync();

    public static ServiceProvider Services(string databasePath)
    {
        var services = new ServiceCollection();
        services.AddSingleton(new MultiOrgDbProvider(DatabaseProvider.Sqlite, World.ConnectionString(databasePath)));
        services.AddScoped<TenantContext>();
        services.AddScoped<IMultiOrgDbFactory, MultiOrgDbFactory>();
        services.AddSingleton<ILookupNormalizer, UpperInvariantLookupNormalizer>();
        services.AddLogging();
        services.AddSingleton<MultiOrg.Domain.Events.IOrganizationEvents, MultiOrg.Web.Events.InProcessOrganizationEvents>();
        services.AddScoped<OrganizationService>();
        services.AddScoped<OrganizationDoor>();
        services.AddScoped<MultiOrg.Domain.Scim.ScimTokenService>();
        services.AddScoped<MultiOrg.Domain.FeatureSwitches.FeatureService>();
        services.AddScoped<MultiOrg.Domain.Billing.BillingService>();
        services.AddScoped<MemberService>();
        services.AddScoped<NoteService>();
        services.AddScoped<ClientOnboardingService>();
        services.AddScoped<MultiOrg.Domain.Accounting.AccountingService>();
        services.AddScoped<PartnerAggregationService>();
        services.AddScoped<ConfigurationPushService>();
        services.AddScoped<OrganizationDashboardService>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new MultiOrg.Domain.Billing.PlanCatalog(MultiOrg.Domain.Billing.BillingOptions.Defaults()));
        return services.BuildServiceProvider();
    }
}

internal static class Scenarios
{
    public const int PageSize = 25;

    /// <summary>How deep the "deep page" is: 90 % of the way through the list.</summary>
    public const double DeepFraction = 0.9;

    public static string Label(long size) => size >= 1000 && size % 1000 == 0 ? $"{size / 1000:N0}k" : size.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Every in-process scenario over <paramref name="services"/>; the circuits they need are opened here.</summary>
    public static async Task<List<Scenario>> BuildAsync(ServiceProvider services, List<IAsyncDisposable> keepAlive)
    {
        var list = new List<Scenario>();

        async Task<Circuit> OpenAsync(string userId, Guid? organization = null)
        {
            var circuit = new Circuit(services, userId);
            keepAlive.Add(circuit);
            if (organization is { } id)
            {
                await circuit.Door.EnterAsync(id);
            }

            return circuit;
        }

        // The switcher's list: a user in 10, 1,000 and 5,000 organizations.
        foreach (var size in World.SwitcherSizes)
        {
            var circuit = await OpenAsync(World.SwitcherUserId(size));
            list.Add(new Scenario("switcher", "List my organizations", size, Label(size), () => circuit.Organizations.ListMineAsync()));
        }

        // Switching: the server work of one switch, as MainLayout.SwitchAsync and the dashboard do it.
        foreach (var size in World.SwitcherSizes)
        {
            var circuit = await OpenAsync(World.SwitcherUserId(size), World.TypicalOrganization);
            list.Add(new Scenario("switching", "Switch (by the user's organization count)", size, Label(size), () => SwitchAsync(circuit, World.TypicalOrganization)));
        }

        foreach (var size in World.MemberSizes)
        {
            var target = World.SizedOrganization(size);
            var circuit = await OpenAsync(World.SwitcherUserId(World.SwitcherSizes[0]), target);
            list.Add(new Scenario("switching", "Switch (by the target's member count)", size, Label(size), () => SwitchAsync(circuit, target)));
        }

        // The members page, as the organization's owner.
        foreach (var size in World.MemberSizes)
        {
            var circuit = await OpenAsync(World.OwnerUserId, World.SizedOrganization(size));
            var deepPage = (int)(size * DeepFraction / PageSize);
            list.Add(new Scenario("members", "First page (sorted by email)", size, Label(size), () => circuit.Members.ListAsync(new MemberQuery(PageSize: PageSize))));
            list.Add(new Scenario("members", "Deep page sorted by name", size, Label(size), () => circuit.Members.ListAsync(new MemberQuery(Sort: MemberSort.Name, Page: deepPage, PageSize: PageSize)), $"page {deepPage:N0}"));
            list.Add(new Scenario("members", "Search", size, Label(size), () => circuit.Members.ListAsync(new MemberQuery(Search: World.SearchTerm, PageSize: PageSize)), $"\"{World.SearchTerm}\""));
        }

        return list;
    }

    /// <summary>What a circuit's server does for one switch: MainLayout.SwitchAsync, then the dashboard's loads.</summary>
    public static async Task SwitchAsync(Circuit circuit, Guid target)
    {
        await circuit.Door.SwitchAsync(target);
        await circuit.Organizations.GetUserContextAsync();
        await circuit.Organizations.GetCurrentAsync();
        await circuit.Notes.ListAsync();
    }

    /// <summary>The tenant filter against the same query with the filter off and an explicit WHERE (and hand-written SQL).</summary>
    public static async Task<List<Figure>> TenantFilterAsync(ServiceProvider services, List<IAsyncDisposable> keepAlive)
    {
        var figures = new List<Figure>();
        for (var s = 0; s < World.NoteSizes.Length; s++)
        {
            var size = World.NoteSizes[s];
            var organizationId = World.SizedOrganization(World.MemberSizes[s]);
            var circuit = new Circuit(services, World.OwnerUserId);
            keepAlive.Add(circuit);
            await circuit.Door.EnterAsync(organizationId);

            async Task Filtered()
            {
                await using var db = circuit.CreateContext();
                await db.OrganizationNotes.AsNoTracking().OrderByDescending(n => n.CreatedAt).Take(50)
                    .Select(n => new { n.Id, n.Text, n.CreatedAt }).ToListAsync();
                await db.OrganizationNotes.CountAsync();
            }

            async Task Explicit()
            {
                await using var db = circuit.CreateContext();
                await db.OrganizationNotes.IgnoreQueryFilters([MultiOrgDbContext.TenantFilter]).AsNoTracking()
                    .Where(n => n.OrganizationId == organizationId)
                    .OrderByDescending(n => n.CreatedAt).Take(50)
                    .Select(n => new { n.Id, n.Text, n.CreatedAt }).ToListAsync();
                await db.OrganizationNotes.IgnoreQueryFilters([MultiOrgDbContext.TenantFilter]).CountAsync(n => n.OrganizationId == organizationId);
            }

            async Task HandWritten()
            {
                await using var db = circuit.CreateContext();
                var connection = db.Database.GetDbConnection();
                await connection.OpenAsync();
                await using var list = connection.CreateCommand();
                list.CommandText = "SELECT Id, Text, CreatedAt FROM OrganizationNotes WHERE OrganizationId = $org ORDER BY CreatedAt DESC LIMIT 50";
                var parameter = list.CreateParameter();
                parameter.ParameterName = "$org";
                parameter.Value = organizationId.ToString().ToUpperInvariant();
                list.Parameters.Add(parameter);
                await using (var reader = await list.ExecuteReaderAsync())
                {
                    while (await reader.ReadAsync())
                    {
                        _ = reader.GetString(0);
                        _ = reader.GetString(1);
                        _ = reader.GetString(2);
                    }
                }

                list.CommandText = "SELECT count(*) FROM OrganizationNotes WHERE OrganizationId = $org";
                await list.ExecuteScalarAsync();
            }

            var (filtered, explicitWhere) = await Harness.MeasurePairAsync(
                "tenant", "Notes query with the tenant filter", "Same query, filter off, explicit WHERE", size, Label(size), Filtered, Explicit);
            figures.Add(filtered);
            figures.Add(explicitWhere);
            figures.Add(await Harness.MeasureAsync("tenant", "Hand-written SQL (ADO.NET, no EF)", size, Label(size), HandWritten));
        }

        return figures;
    }
}
