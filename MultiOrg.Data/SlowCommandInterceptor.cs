using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;

namespace MultiOrg.Data;

/// <summary>
/// Logs, at Warning, the SQL of every database command slower than <c>Database:SlowQueryMilliseconds</c> (0: every
/// command). Parameter values are never logged: the SQL carries only their names, so no secret reaches the log.
/// </summary>
public sealed partial class SlowCommandInterceptor(TimeSpan threshold, ILogger<SlowCommandInterceptor> logger) : DbCommandInterceptor
{
    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        Check(command, eventData);
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        Check(command, eventData);
        return ValueTask.FromResult(result);
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Check(command, eventData);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Check(command, eventData);
        return ValueTask.FromResult(result);
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        Check(command, eventData);
        return result;
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        Check(command, eventData);
        return ValueTask.FromResult(result);
    }

    private void Check(DbCommand command, CommandExecutedEventData eventData)
    {
        if (eventData.Duration >= threshold)
        {
            LogSlow((long)eventData.Duration.TotalMilliseconds, (long)threshold.TotalMilliseconds, command.CommandText);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Slow database command ({Milliseconds} ms, threshold {Threshold} ms): {Sql}")]
    private partial void LogSlow(long milliseconds, long threshold, string sql);
}
