using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MultiOrg.Bench;

/// <summary>A SQL statement exactly as EF sent it, with its parameter values.</summary>
internal sealed record CapturedCommand(string Sql, IReadOnlyList<(string Name, object? Value)> Parameters);

/// <summary>
/// Records the SQL that EF Core sends while it is active, through EF's DiagnosticListener (no change to the app's
/// options is needed), so the benchmark can EXPLAIN QUERY PLAN and time the statements the services really run.
/// </summary>
internal sealed class SqlCapture : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly IDisposable allListeners;
    private readonly ConcurrentQueue<IDisposable> subscriptions = new();
    private readonly ConcurrentQueue<CapturedCommand> commands = new();

    private SqlCapture()
    {
        allListeners = DiagnosticListener.AllListeners.Subscribe(this);
    }

    public IReadOnlyList<CapturedCommand> Commands => [.. commands];

    public static SqlCapture Start() => new();

    public void Dispose()
    {
        allListeners.Dispose();
        while (subscriptions.TryDequeue(out var subscription))
        {
            subscription.Dispose();
        }
    }

    void IObserver<DiagnosticListener>.OnNext(DiagnosticListener value)
    {
        if (value.Name == DbLoggerCategory.Name)
        {
            subscriptions.Enqueue(value.Subscribe(this, name => name == RelationalEventId.CommandExecuting.Name));
        }
    }

    void IObserver<KeyValuePair<string, object?>>.OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Value is CommandEventData data)
        {
            commands.Enqueue(new CapturedCommand(
                data.Command.CommandText,
                [.. data.Command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value))]));
        }
    }

    void IObserver<DiagnosticListener>.OnCompleted()
    {
    }

    void IObserver<DiagnosticListener>.OnError(Exception error)
    {
    }

    void IObserver<KeyValuePair<string, object?>>.OnCompleted()
    {
    }

    void IObserver<KeyValuePair<string, object?>>.OnError(Exception error)
    {
    }
}

/// <summary>EXPLAIN QUERY PLAN and a timing for captured statements, run straight on SQLite.</summary>
internal static class QueryPlans
{
    public static SqliteCommand Command(SqliteConnection connection, CapturedCommand captured, string prefix = "")
    {
        var command = connection.CreateCommand();
        command.CommandText = prefix + captured.Sql;
        foreach (var (name, value) in captured.Parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    public static string Explain(SqliteConnection connection, CapturedCommand captured)
    {
        using var command = Command(connection, captured, "EXPLAIN QUERY PLAN ");
        using var reader = command.ExecuteReader();
        var depth = new Dictionary<long, int>();
        var plan = new StringBuilder();
        while (reader.Read())
        {
            var id = reader.GetInt64(0);
            var parent = reader.GetInt64(1);
            var level = parent == 0 ? 0 : depth.GetValueOrDefault(parent) + 1;
            depth[id] = level;
            plan.Append(new string(' ', level * 2)).Append("- ").AppendLine(reader.GetString(3));
        }

        return plan.ToString();
    }

    /// <summary>Median milliseconds of running the statement to completion (reading every row) a few times.</summary>
    public static double Time(SqliteConnection connection, CapturedCommand captured, int runs = 7)
    {
        var samples = new List<double>();
        for (var i = 0; i < runs + 1; i++)
        {
            using var command = Command(connection, captured);
            var clock = Stopwatch.StartNew();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                }
            }

            if (i > 0)
            {
                samples.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        samples.Sort();
        return Harness.Percentile(samples, 0.5);
    }
}
