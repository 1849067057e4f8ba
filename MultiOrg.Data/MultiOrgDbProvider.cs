using Microsoft.EntityFrameworkCore;
using MultiOrg.Data.Sqlite;
using MultiOrg.Data.SqlServer;
using MultiOrg.Domain;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Data;

/// <summary>
/// Builds the provider's options once (singleton) and makes contexts of the provider's type on demand.
/// It holds no tenant: the scoped <see cref="MultiOrgDbFactory"/> hands each context its circuit's tenant.
/// </summary>
public sealed class MultiOrgDbProvider
{
    private readonly DbContextOptions options;

    public MultiOrgDbProvider(DatabaseProvider provider, string connectionString)
    {
        Provider = provider;
        ConnectionString = connectionString;
        var builder = new DbContextOptionsBuilder<MultiOrgDbContext>();
        options = Configure(builder, provider, connectionString).Options;
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    public MultiOrgDbContext Create(TenantContext tenant) => Provider switch
    {
        DatabaseProvider.SqlServer => new SqlServerMultiOrgDbContext(options, tenant),
        _ => new SqliteMultiOrgDbContext(options, tenant),
    };

    public static DbContextOptionsBuilder<MultiOrgDbContext> Configure(
        DbContextOptionsBuilder<MultiOrgDbContext> builder, DatabaseProvider provider, string connectionString) =>
        provider switch
        {
            DatabaseProvider.SqlServer => builder.UseSqlServer(connectionString, o => o.CommandTimeout(30)),

            // The command timeout is also SQLite's busy timeout: a writer waits this long for the lock.
            _ => builder.UseSqlite(connectionString, o => o.CommandTimeout(30)),
        };
}

/// <summary>One per circuit or request: contexts it creates filter and guard by that scope's tenant.</summary>
public sealed class MultiOrgDbFactory(MultiOrgDbProvider provider, TenantContext tenant) : IMultiOrgDbFactory
{
    public IMultiOrgDb Create() => provider.Create(tenant);

    public IMultiOrgDb CreateFor(TenantContext other) => provider.Create(other);
}
