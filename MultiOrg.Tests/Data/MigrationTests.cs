using Microsoft.EntityFrameworkCore;
using MultiOrg.Data;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Data;

public sealed class MigrationTests
{
    [Fact]
    public void Sqlite_migrations_match_the_model()
    {
        using var database = new TestDatabase();
        using var db = database.CreateContext();

        db.Database.HasPendingModelChanges().Should().BeFalse("run scripts/add-migration.sh after changing the model");
        db.Database.GetPendingMigrations().Should().BeEmpty();
    }

    [Fact]
    public void Sql_server_migrations_match_the_model_and_its_create_script_generates()
    {
        // No server is contacted: the model, the migrations and the script are built offline.
        var provider = new MultiOrgDbProvider(DatabaseProvider.SqlServer, "Server=127.0.0.1,1;Database=MultiOrg;TrustServerCertificate=True");
        using var db = provider.Create(new TenantContext());

        db.Database.HasPendingModelChanges().Should().BeFalse("run scripts/add-migration.sh after changing the model");
        db.Database.GetMigrations().Should().NotBeEmpty();
        var script = db.Database.GenerateCreateScript();
        script.Should().Contain("CREATE TABLE [Organizations]").And.Contain("CREATE TABLE [OrganizationMembers]");
        script.Should().Contain("CREATE UNIQUE INDEX [IX_OrganizationMembers_UserId_OrganizationId]");
    }

    [Fact]
    public void PostgreSql_migrations_match_the_model_and_its_create_script_generates()
    {
        // Offline, as for SQL Server: the PostgreSQL run of the suite migrates a real server (TestDatabase).
        using var db = new MultiOrgDbProvider(DatabaseProvider.PostgreSql, "Host=127.0.0.1;Port=1;Database=multiorg").Create(new TenantContext());

        db.Database.HasPendingModelChanges().Should().BeFalse("run scripts/add-migration.sh after changing the model");
        var script = db.Database.GenerateCreateScript();
        script.Should().Contain("CREATE TABLE \"Organizations\"").And.Contain("timestamp with time zone");
        script.Should().Contain("CREATE UNIQUE INDEX \"IX_OrganizationMembers_UserId_OrganizationId\"");
    }

    [Fact]
    public void Every_provider_has_the_same_migrations_in_the_same_order()
    {
        using var sqliteDb = new MultiOrgDbProvider(DatabaseProvider.Sqlite, "Data Source=:memory:").Create(new TenantContext());
        using var sqlServerDb = new MultiOrgDbProvider(DatabaseProvider.SqlServer, "Server=127.0.0.1,1;Database=x").Create(new TenantContext());
        using var postgreSqlDb = new MultiOrgDbProvider(DatabaseProvider.PostgreSql, "Host=127.0.0.1;Port=1;Database=x").Create(new TenantContext());

        static IEnumerable<string> Names(IEnumerable<string> ids) => ids.Select(id => id[(id.IndexOf('_') + 1)..]);

        var sqlite = sqliteDb.Database.GetMigrations().ToList();
        Names(sqlite).Should().Equal(Names(sqlServerDb.Database.GetMigrations()));

        // PostgreSQL came later: one initial migration made the model of that day; every migration after it is shared.
        var postgreSql = postgreSqlDb.Database.GetMigrations().ToList();
        postgreSql.Should().NotBeEmpty();
        Names(postgreSql.Skip(1)).Should().Equal(
            Names(sqlite.Where(id => string.CompareOrdinal(id, postgreSql[0]) > 0)),
            "scripts/add-migration.sh adds each new migration to all three providers");
    }
}
