using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using MultiOrg.Data.PostgreSql;
using MultiOrg.Data.Sqlite;
using MultiOrg.Data.SqlServer;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Data;

/// <summary>Lets <c>dotnet ef migrations add … --context SqliteMultiOrgDbContext</c> build the model without the app.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteMultiOrgDbContext>
{
    public SqliteMultiOrgDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<MultiOrgDbContext>().UseSqlite("Data Source=design.db").Options, new TenantContext());
}

/// <summary>Lets <c>dotnet ef migrations add … --context SqlServerMultiOrgDbContext</c> build the model without a server.</summary>
public sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerMultiOrgDbContext>
{
    public SqlServerMultiOrgDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<MultiOrgDbContext>().UseSqlServer("Server=.;Database=MultiOrg;Trusted_Connection=True;TrustServerCertificate=True").Options, new TenantContext());
}

/// <summary>Lets <c>dotnet ef migrations add … --context PostgreSqlMultiOrgDbContext</c> build the model without a server.</summary>
public sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlMultiOrgDbContext>
{
    public PostgreSqlMultiOrgDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<MultiOrgDbContext>().UseNpgsql("Host=localhost;Database=multiorg").Options, new TenantContext());
}
