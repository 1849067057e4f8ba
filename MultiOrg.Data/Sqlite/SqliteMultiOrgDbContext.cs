using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Data.Sqlite;

/// <summary>The embedded default. Owns the SQLite migrations.</summary>
public sealed class SqliteMultiOrgDbContext(DbContextOptions options, TenantContext tenant) : MultiOrgDbContext(options, tenant)
{
    /// <summary>
    /// <c>BEGIN IMMEDIATE</c>: takes SQLite's write lock before the first read, so two racing read-then-write
    /// rules run one after the other (the other waits up to the busy timeout).
    /// </summary>
    public override async Task<IDbContextTransaction> BeginWriteTransactionAsync(Guid organizationId, CancellationToken cancellationToken)
    {
        await Database.OpenConnectionAsync(cancellationToken);
        var connection = (SqliteConnection)Database.GetDbConnection();
        var transaction = connection.BeginTransaction(deferred: false);
        return await Database.UseTransactionAsync(transaction, cancellationToken)
            ?? throw new InvalidOperationException("EF Core did not accept the SQLite transaction.");
    }
}
