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
        var used = await Database.UseTransactionAsync(transaction, cancellationToken)
            ?? throw new InvalidOperationException("EF Core did not accept the SQLite transaction.");
        return new OwnedTransaction(used, transaction);
    }

    /// <summary>
    /// EF does not own a transaction handed to it with UseTransaction, so disposing its wrapper would leave SQLite's
    /// transaction open on the connection. This one ends both: a refused write rolls back and frees the lock at once.
    /// </summary>
    private sealed class OwnedTransaction(IDbContextTransaction inner, SqliteTransaction owned) : IDbContextTransaction
    {
        public Guid TransactionId => inner.TransactionId;

        public void Commit() => inner.Commit();

        public Task CommitAsync(CancellationToken cancellationToken = default) => inner.CommitAsync(cancellationToken);

        public void Rollback() => inner.Rollback();

        public Task RollbackAsync(CancellationToken cancellationToken = default) => inner.RollbackAsync(cancellationToken);

        public void Dispose()
        {
            inner.Dispose();
            owned.Dispose();
        }

        public async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await owned.DisposeAsync();
        }
    }
}
