using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Data.PostgreSql;

/// <summary>The server database the suite runs on. Owns the PostgreSQL migrations.</summary>
public sealed class PostgreSqlMultiOrgDbContext(DbContextOptions options, TenantContext tenant) : MultiOrgDbContext(options, tenant)
{
    /// <summary>
    /// Locks the organization's row (<c>FOR UPDATE</c>, PostgreSQL's UPDLOCK): writers to one organization queue behind
    /// each other, and under READ COMMITTED each statement after the lock sees what the previous holder committed.
    /// </summary>
    public override async Task<IDbContextTransaction> BeginWriteTransactionAsync(Guid organizationId, CancellationToken cancellationToken)
    {
        var transaction = await Database.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken);
        await Database.ExecuteSqlInterpolatedAsync(
            $"SELECT \"Id\" FROM \"Organizations\" WHERE \"Id\" = {organizationId} FOR UPDATE", cancellationToken);
        return transaction;
    }

    /// <summary>
    /// Every instant is <c>timestamp with time zone</c>, and every value is sent as UTC (decision 23): the app's times
    /// are UTC by convention, but a <see cref="DateTime"/> built from parts or parsed is Unspecified, which Npgsql refuses
    /// for that type; SQLite and SQL Server store it as it is, so without this only PostgreSQL would fail on it.
    /// </summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcDateTimeOffsetConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcDateTimeOffsetConverter>();
    }

    /// <summary>Local times become UTC; Unspecified ones are taken as UTC (the app's convention); read back as UTC.</summary>
    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : DateTime.SpecifyKind(v, DateTimeKind.Utc),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    /// <summary>Npgsql writes only offset zero to <c>timestamp with time zone</c>: the same instant at offset zero.</summary>
    private sealed class UtcDateTimeOffsetConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(
        v => v.ToUniversalTime(),
        v => v);
}
