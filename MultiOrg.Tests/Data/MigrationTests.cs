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
    public void Both_providers_have_the_same_migrations_in_the_same_order()
    {
        using var sqlite = new TestDatabase();
        using var sqliteDb = sqlite.CreateContext();
        using var sqlServerDb = new MultiOrgDbProvider(DatabaseProvider.SqlServer, "Server=127.0.0.1,1;Database=x").Create(new TenantContext());

        static IEnumerable<string> Names(IEnumerable<string> ids) => ids.Select(id => id[(id.IndexOf('_') + 1)..]);

        Names(sqliteDb.Database.GetMigrations()).Should().Equal(Names(sqlServerDb.Database.GetMigrations()));
    }
}
