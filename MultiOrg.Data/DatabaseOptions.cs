using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace MultiOrg.Data;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
    PostgreSql,
}

/// <summary>The <c>Database</c> configuration section.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    [Description("`Sqlite`, `PostgreSql` or `SqlServer`; the connection string is `ConnectionStrings:MultiOrg` (required for PostgreSQL and SQL Server, default `Data Source=<content root>/App_Data/multiorg.db`)")]
    [EnumDataType(typeof(DatabaseProvider))]
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply pending migrations when the app starts. Turn off where a deployment step migrates instead.</summary>
    [Description("apply pending migrations at start; turn off where a deployment step migrates (a migrations bundle)")]
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>Seed the demo organizations and logins (Development only by default).</summary>
    [Description("seed the demo organizations and logins (default: on in Development only)")]
    public bool SeedDemoData { get; set; }

    /// <summary>A database command slower than this is logged at Warning with its SQL (never its parameter values).</summary>
    [Description("a database command that takes longer (milliseconds) is logged at Warning with its SQL, never its parameter values; 0 logs every command")]
    [Range(0, 3_600_000)]
    public int SlowQueryMilliseconds { get; set; } = 500;
}
