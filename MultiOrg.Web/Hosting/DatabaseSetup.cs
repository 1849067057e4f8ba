using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using MultiOrg.Data;
using MultiOrg.Data.Seed;
using MultiOrg.Domain;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Web.Hosting;

/// <summary>Chooses the provider from configuration, registers the contexts, and migrates and seeds at start-up.</summary>
public static class DatabaseSetup
{
    public static IServiceCollection AddMultiOrgDatabase(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var options = services.ReadSettings<DatabaseOptions>(configuration, DatabaseOptions.Section);
        services.AddSettings<AdministrationSettings>(AdministrationSettings.Section);
        if (configuration.GetSection(DatabaseOptions.Section)[nameof(DatabaseOptions.SeedDemoData)] is null)
        {
            options.SeedDemoData = environment.IsDevelopment();
        }

        var connectionString = configuration.GetConnectionString("MultiOrg");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (options.Provider != DatabaseProvider.Sqlite)
            {
                throw new InvalidOperationException($"ConnectionStrings:MultiOrg is required when Database:Provider is {options.Provider}.");
            }

            var folder = Path.Combine(environment.ContentRootPath, "App_Data");
            connectionString = $"Data Source={Path.Combine(folder, "multiorg.db")}";
        }

        services.AddSingleton(options);
        services.AddMultiOrgData(sp => new MultiOrgDbProvider(
            options.Provider,
            connectionString,
            sp.GetRequiredService<ILoggerFactory>(),
            new SlowCommandInterceptor(TimeSpan.FromMilliseconds(options.SlowQueryMilliseconds), sp.GetRequiredService<ILogger<SlowCommandInterceptor>>())));
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [HealthTags.Ready]);
        return services;
    }

    public static async Task InitializeDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        var options = services.GetRequiredService<DatabaseOptions>();
        var provider = services.GetRequiredService<MultiOrgDbProvider>();
        if (provider.Provider == DatabaseProvider.Sqlite)
        {
            var dataSource = new SqliteConnectionStringBuilder(provider.ConnectionString).DataSource;
            var folder = Path.GetDirectoryName(Path.GetFullPath(dataSource));
            if (!string.IsNullOrEmpty(folder) && dataSource != ":memory:")
            {
                Directory.CreateDirectory(folder);
            }
        }

        await using var scope = services.CreateAsyncScope();
        if (options.MigrateOnStartup)
        {
            await using var db = provider.Create(new TenantContext());
            await db.Database.MigrateAsync(ct);
            if (provider.Provider == DatabaseProvider.Sqlite)
            {
                // Readers keep reading while one writer writes; the setting stays with the file.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            }
        }

        if (options.SeedDemoData)
        {
            await DemoData.SeedAsync(scope.ServiceProvider, ct);
        }

        await GrantSystemAdministratorsAsync(services, provider, ct);
    }

    /// <summary>
    /// <c>Administration:SupportStaff</c> and <c>Administration:SystemAdmins</c> list the emails of system administrators (they designate partner
    /// organizations). Granted at every start, so the setting is the one place to look.
    /// </summary>
    private static async Task GrantSystemAdministratorsAsync(IServiceProvider services, MultiOrgDbProvider provider, CancellationToken ct)
    {
        var administration = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AdministrationSettings>>().Value;
        await GrantAsync(administration.SupportStaff, MultiOrg.Domain.Users.GlobalRole.Support);
        await GrantAsync(administration.SystemAdmins, MultiOrg.Domain.Users.GlobalRole.SystemAdmin);

        async Task GrantAsync(List<string> emails, MultiOrg.Domain.Users.GlobalRole role)
        {
            if (emails.Count == 0)
            {
                return;
            }

            var normalized = emails.Select(e => e.Trim().ToUpperInvariant()).ToList();
            await using var db = provider.Create(new TenantContext());
            await db.Users.Where(u => u.NormalizedEmail != null && normalized.Contains(u.NormalizedEmail))
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.GlobalRole, role), ct);
        }
    }
}

/// <summary>Tags of the health checks: <c>/health/ready</c> runs the "ready" ones; <c>/health/live</c> runs none.</summary>
internal static class HealthTags
{
    public const string Ready = "ready";
}
