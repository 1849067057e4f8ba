using System.Text;
using Microsoft.Data.Sqlite;

namespace MultiOrg.Bench;

/// <summary>The in-process figures: every scenario timed over a private copy of the world, plus each one's SQL and plans.</summary>
internal static class InProcess
{
    public static string ResultsPath => Path.Combine(BenchPaths.Results, "inprocess.json");

    public static string PlansPath => Path.Combine(BenchPaths.Results, "plans.md");

    public static async Task<List<Figure>> RunAsync(string databasePath, string title, IEnumerable<string>? setupSql = null, Func<Scenario, bool>? only = null, bool tenant = true)
    {
        if (setupSql is not null)
        {
            Apply(databasePath, setupSql);
        }

        Console.WriteLine($"{title}: {databasePath} (load average {LoadAverage()})");
        var keepAlive = new List<IAsyncDisposable>();
        await using var services = Circuit.Services(databasePath);
        var figures = new List<Figure>();
        try
        {
            var scenarios = (await Scenarios.BuildAsync(services, keepAlive)).Where(s => only?.Invoke(s) ?? true).ToList();

            // One pass over everything first, so code shared by all scenarios is compiled before the first is timed.
            foreach (var scenario in scenarios)
            {
                await scenario.Action();
            }

            foreach (var scenario in scenarios)
            {
                figures.Add(await Harness.MeasureAsync(scenario.Group, scenario.Name, scenario.Size, scenario.SizeLabel, scenario.Action, scenario.Note));
            }

            if (tenant)
            {
                figures.AddRange(await Scenarios.TenantFilterAsync(services, keepAlive));
            }
        }
        finally
        {
            foreach (var item in keepAlive)
            {
                await item.DisposeAsync();
            }
        }

        return figures;
    }

    /// <summary>For every scenario: the statements EF sent, each with its plan and its own time on SQLite.</summary>
    public static async Task<string> PlansAsync(string databasePath, Func<Scenario, bool>? only = null)
    {
        var keepAlive = new List<IAsyncDisposable>();
        await using var services = Circuit.Services(databasePath);
        using var connection = new SqliteConnection(World.ConnectionString(databasePath));
        connection.Open();
        var text = new StringBuilder();
        try
        {
            foreach (var scenario in (await Scenarios.BuildAsync(services, keepAlive)).Where(s => only?.Invoke(s) ?? true))
            {
                await scenario.Action(); // warm: EF compiles the queries outside the capture
                IReadOnlyList<CapturedCommand> commands;
                using (var capture = SqlCapture.Start())
                {
                    await scenario.Action();
                    commands = capture.Commands;
                }

                text.AppendLine($"### {scenario.Group}: {scenario.Name} at {scenario.SizeLabel}").AppendLine();
                foreach (var command in commands)
                {
                    var isRead = command.Sql.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase);
                    var time = isRead ? $"{QueryPlans.Time(connection, command):F2} ms" : "(write, not re-run)";
                    text.AppendLine($"{time}:").AppendLine("```sql").AppendLine(command.Sql.Trim()).AppendLine("```");
                    if (isRead)
                    {
                        text.AppendLine("```text").Append(QueryPlans.Explain(connection, command)).AppendLine("```");
                    }

                    text.AppendLine();
                }
            }
        }
        finally
        {
            foreach (var item in keepAlive)
            {
                await item.DisposeAsync();
            }
        }

        return text.ToString();
    }

    public static string LoadPath => Path.Combine(BenchPaths.Results, "load.txt");

    /// <summary>The 1, 5 and 15 minute load averages: on a shared 2-core machine they say how noisy a run was.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    public static void Apply(string databasePath, IEnumerable<string> sql)
    {
        using var connection = new SqliteConnection(World.ConnectionString(databasePath) + ";Pooling=False");
        connection.Open();
        foreach (var statement in sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = statement;
            command.ExecuteNonQuery();
        }
    }
}
