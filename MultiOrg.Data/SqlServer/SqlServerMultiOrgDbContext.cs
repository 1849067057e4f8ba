using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Data.SqlServer;

/// <summary>Production provider. Owns the SQL Server migrations.</summary>
public sealed class SqlServerMultiOrgDbContext(DbContextOptions options, TenantContext tenant) : MultiOrgDbContext(options, tenant)
{
    /// <summary>Locks the organization's row first, so writers to one organization queue behind each other.</summary>
    public override async Task<IDbContextTransaction> BeginWriteTransactionAsync(Guid organizationId, CancellationToken cancellationToken)
    {
        var transaction = await Database.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken);
        await Database.ExecuteSqlInterpolatedAsync(
            $"SELECT Id FROM Organizations WITH (UPDLOCK, HOLDLOCK) WHERE Id = {organizationId}", cancellationToken);
        return transaction;
    }
}
