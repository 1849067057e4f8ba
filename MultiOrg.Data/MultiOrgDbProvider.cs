using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using MultiOrg.Data.PostgreSql;
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

    /// <param name="loggerFactory">The app's: EF Core's own log categories then follow the app's levels and providers.</param>
    /// <param name="slowCommand">Logs the SQL of slow commands, when given.</param>
    public MultiOrgDbProvider(DatabaseProvider provider, string connectionString, ILoggerFactory? loggerFactory = null, SlowCommandInterceptor? slowCommand = null)
    {
        Provider = provider;
        ConnectionString = connectionString;
        var builder = new DbContextOptionsBuilder<MultiOrgDbContext>();
        if (loggerFactory is not null)
        {
            // LogTo, not UseLoggerFactory: a logger factory is part of EF's internal service-provider key, so every host
            // (each test host) would build its own model; LogTo leaves that key alone. Each event goes to its own
            // category, so the app's levels (Microsoft.EntityFrameworkCore.Database.Command: Warning) decide as usual.
            builder.LogTo(
                (id, level) => loggerFactory.CreateLogger(Category(id)).IsEnabled(level),
                data => loggerFactory.CreateLogger(Category(data.EventId)).Log(data.LogLevel, data.EventId, data.ToString()));
        }

        if (slowCommand is not null)
        {
            builder.AddInterceptors(slowCommand);
        }

        options = Configure(builder, provider, connectionString).Options;
    }

    public DatabaseProvider Provider { get; }

    /// <summary>EF's category of an event: its name without the last part (…Database.Command.CommandExecuted → …Database.Command).</summary>
    private static string Category(EventId id) =>
        id.Name is { } name && name.LastIndexOf('.') is var dot and > 0 ? name[..dot] : "Microsoft.EntityFrameworkCore";

    public string ConnectionString { get; }

    /// <param name="time">The clock rules deep in a unit of work read (<see cref="IMultiOrgDb.Time"/>); the system's when not given.</param>
    public MultiOrgDbContext Create(TenantContext tenant, TimeProvider? time = null)
    {
        MultiOrgDbContext context = Provider switch
        {
            DatabaseProvider.SqlServer => new SqlServerMultiOrgDbContext(options, tenant),
            DatabaseProvider.PostgreSql => new PostgreSqlMultiOrgDbContext(options, tenant),
            _ => new SqliteMultiOrgDbContext(options, tenant),
        };
        context.Time = time ?? TimeProvider.System;
        return context;
    }

    public static DbContextOptionsBuilder<MultiOrgDbContext> Configure(
        DbContextOptionsBuilder<MultiOrgDbContext> builder, DatabaseProvider provider, string connectionString) =>
        provider switch
        {
            // Deadlocks and serialization failures are retried, a whole unit of work at a time (UnitRetrying).
            DatabaseProvider.SqlServer => builder.UseSqlServer(connectionString, o => o.CommandTimeout(30).ExecutionStrategy(d => new SqlServerUnitRetryingStrategy(d))),
            DatabaseProvider.PostgreSql => builder.UseNpgsql(connectionString, o => o.CommandTimeout(30).ExecutionStrategy(d => new PostgreSqlUnitRetryingStrategy(d))),

            // The command timeout is also SQLite's busy timeout: a writer waits this long for the lock.
            _ => builder.UseSqlite(connectionString, o => o.CommandTimeout(30)),
        };
}

/// <summary>One per circuit or request: contexts it creates filter and guard by that scope's tenant.</summary>
public sealed class MultiOrgDbFactory(MultiOrgDbProvider provider, TenantContext tenant, TimeProvider time) : IMultiOrgDbFactory
{
    public IMultiOrgDb Create() => provider.Create(tenant, time);

    public IMultiOrgDb CreateFor(TenantContext other) => provider.Create(other, time);
}
