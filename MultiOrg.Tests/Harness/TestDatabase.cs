using Microsoft.EntityFrameworkCore;
using MultiOrg.Data;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Tests.Harness;

/// <summary>
/// A real, migrated, empty database for one test: a SQLite file, or with <c>MULTIORG_TEST_DATABASE=PostgreSql</c> a
/// database of the run's PostgreSQL cluster (<see cref="PostgresServer"/>). The migrations run once per test run into a
/// template (a file; a template database) that each test copies (a file copy; <c>CREATE DATABASE … TEMPLATE</c>).
/// </summary>
public sealed class TestDatabase : IDisposable
{
    /// <summary>
    /// The trait that keeps a test class to the SQLite run, with the value <see cref="Independent"/>: its outcome does not
    /// depend on the database provider (security headers, rate limits, outbound address checks, settings validation,
    /// bUnit components over services the data and API tests cover on both). test.sh's PostgreSQL run leaves these out,
    /// as it leaves out the browser journeys, so the suite stays within its time on two cores.
    /// </summary>
    public const string Trait = "Database";

    /// <summary>The value of <see cref="Trait"/> for a class whose outcome is the same on every provider.</summary>
    public const string Independent = "Independent";

    /// <summary>The variable that chooses the suite's database: test.sh runs the suite once per value.</summary>
    public const string Variable = "MULTIORG_TEST_DATABASE";

    private static readonly Lazy<string> SqliteTemplate = new(CreateSqliteTemplate, LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lazy<string> PostgresTemplate = new(CreatePostgresTemplate, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string? postgresDatabase;

    /// <param name="migrated">False: an empty database the app has yet to migrate.</param>
    /// <param name="kind">The suite's <see cref="Kind"/> unless a test needs one provider (two servers: PostgreSQL).</param>
    public TestDatabase(bool migrated = true, DatabaseProvider? kind = null)
    {
        kind ??= Kind;
        if (kind == DatabaseProvider.PostgreSql)
        {
            var template = migrated ? PostgresTemplate.Value : "template0";
            postgresDatabase = $"multiorg_test_{Guid.NewGuid():N}";
            PostgresServer.Shared.Execute($"CREATE DATABASE \"{postgresDatabase}\" TEMPLATE \"{template}\"");
            Path = "";
            ConnectionString = PostgresServer.Shared.ConnectionString(postgresDatabase);
        }
        else
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"multiorg-test-{Guid.NewGuid():N}.db");
            if (migrated)
            {
                File.Copy(SqliteTemplate.Value, Path);
            }

            ConnectionString = $"Data Source={Path};Pooling=False";
        }

        Provider = new MultiOrgDbProvider(kind.Value, ConnectionString);
    }

    /// <summary>The suite's database: SQLite unless <see cref="Variable"/> says PostgreSql.</summary>
    public static DatabaseProvider Kind { get; } =
        Enum.TryParse<DatabaseProvider>(Environment.GetEnvironmentVariable(Variable), ignoreCase: true, out var kind) ? kind : DatabaseProvider.Sqlite;

    /// <summary>The SQLite file (empty on PostgreSQL).</summary>
    public string Path { get; }

    public string ConnectionString { get; }

    public MultiOrgDbProvider Provider { get; }

    /// <summary>A context with no tenant: sees every non-tenant table and no tenant-owned row.</summary>
    public MultiOrgDbContext CreateContext(TenantContext? tenant = null) => Provider.Create(tenant ?? new TenantContext());

    /// <summary>Puts an organization on a plan, as its owner's plan change would; straight in the database for test set-up.</summary>
    public async Task SubscribeAsync(Guid organizationId, MultiOrg.Domain.Billing.PlanDefinition plan, DateTime? now = null)
    {
        await using var db = CreateContext(TenantContext.ForJob(organizationId, ""));
        await db.Set<MultiOrg.Domain.Billing.Subscription>().Where(s => s.OrganizationId == organizationId).ExecuteDeleteAsync();
        var subscription = MultiOrg.Domain.Billing.Subscription.Start(plan, now ?? DateTime.UtcNow);
        db.Set<MultiOrg.Domain.Billing.Subscription>().Add(subscription);
        await db.SaveChangesAsync();
    }

    public void Dispose()
    {
        if (postgresDatabase is not null)
        {
            PostgresServer.Shared.Drop(postgresDatabase);
            return;
        }

        foreach (var file in new[] { Path, Path + "-wal", Path + "-shm" })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // A file still open by a pooled handle is cleaned up with the temp folder.
            }
        }
    }

    private static string CreatePostgresTemplate()
    {
        var server = PostgresServer.Shared;
        server.Execute($"CREATE DATABASE \"{PostgresServer.TemplateName}\"");
        using (var migrated = new MultiOrgDbProvider(DatabaseProvider.PostgreSql, server.ConnectionString(PostgresServer.TemplateName)).Create(new TenantContext()))
        {
            migrated.Database.Migrate();
        }

        // CREATE DATABASE … TEMPLATE refuses while anyone is connected to the template.
        using (var connection = new Npgsql.NpgsqlConnection(server.ConnectionString(PostgresServer.TemplateName)))
        {
            Npgsql.NpgsqlConnection.ClearPool(connection);
        }

        return PostgresServer.TemplateName;
    }

    /// <summary>
    /// Everything the database holds on disk, as bytes a test can scan for text that must never be stored: the SQLite
    /// file and its write-ahead log, or on PostgreSQL a plain-text dump of the data.
    /// </summary>
    public async Task<byte[]> StoredBytesAsync()
    {
        if (postgresDatabase is not null)
        {
            return PostgresServer.Shared.Dump(postgresDatabase);
        }

        var bytes = await ReadSharedAsync(Path);
        var wal = File.Exists(Path + "-wal") ? await ReadSharedAsync(Path + "-wal") : [];
        return [.. bytes, .. wal];
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var memory = new MemoryStream();
        await stream.CopyToAsync(memory);
        return memory.ToArray();
    }

    private static string CreateSqliteTemplate()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"multiorg-template-{Guid.NewGuid():N}.db");
        var provider = new MultiOrgDbProvider(DatabaseProvider.Sqlite, $"Data Source={path};Pooling=False");
        using var db = provider.Create(new TenantContext());
        db.Database.Migrate();
        db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
        db.Database.ExecuteSqlRaw("PRAGMA wal_checkpoint(TRUNCATE);");
        return path;
    }
}
