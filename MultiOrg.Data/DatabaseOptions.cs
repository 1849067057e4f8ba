namespace MultiOrg.Data;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}

/// <summary>The <c>Database</c> configuration section.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply pending migrations when the app starts. Turn off where a deployment step migrates instead.</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>Seed the demo organizations and logins (Development only by default).</summary>
    public bool SeedDemoData { get; set; }
}
