using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql.EntityFrameworkCore.PostgreSQL;

namespace MultiOrg.Data;

/// <summary>
/// EF's retrying execution strategies (deadlocks, serialization failures, dropped connections) for the server
/// databases. A retry repeats a whole unit of work: <see cref="MultiOrgDbContext.WriteAsync{T}(Guid, Func{CancellationToken, Task{T}}, CancellationToken)"/> (and its overloads)
/// and an audited save run as one strategy execution, so the transaction, its lock and every statement in it are
/// repeated together. A statement of a transaction begun outside the strategy runs once, as without retries: retrying
/// it alone would run it in a transaction the failure already ended (EF's own strategies refuse it outright).
/// </summary>
internal static class UnitRetrying
{
    /// <summary>At most this many retries, at most this long apart: a request waits a few seconds, not EF's default half minute.</summary>
    public const int MaxRetries = 5;

    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(2);

    /// <summary>A statement of a transaction no unit owns: not retried on its own.</summary>
    public static bool OutsideAUnit(ExecutionStrategyDependencies dependencies, bool insideStrategy) =>
        !insideStrategy && dependencies.CurrentContext.Context.Database.CurrentTransaction is not null;
}

/// <summary>Npgsql's <c>EnableRetryOnFailure</c>, by units of work (<see cref="UnitRetrying"/>).</summary>
internal sealed class PostgreSqlUnitRetryingStrategy(ExecutionStrategyDependencies dependencies)
    : NpgsqlRetryingExecutionStrategy(dependencies, UnitRetrying.MaxRetries, UnitRetrying.MaxDelay, errorCodesToAdd: null)
{
    public override TResult Execute<TState, TResult>(TState state, Func<DbContext, TState, TResult> operation, Func<DbContext, TState, ExecutionResult<TResult>>? verifySucceeded) =>
        UnitRetrying.OutsideAUnit(Dependencies, Current is not null)
            ? operation(Dependencies.CurrentContext.Context, state)
            : base.Execute(state, operation, verifySucceeded);

    public override Task<TResult> ExecuteAsync<TState, TResult>(
        TState state,
        Func<DbContext, TState, CancellationToken, Task<TResult>> operation,
        Func<DbContext, TState, CancellationToken, Task<ExecutionResult<TResult>>>? verifySucceeded,
        CancellationToken cancellationToken = default) =>
        UnitRetrying.OutsideAUnit(Dependencies, Current is not null)
            ? operation(Dependencies.CurrentContext.Context, state, cancellationToken)
            : base.ExecuteAsync(state, operation, verifySucceeded, cancellationToken);
}

/// <summary>SQL Server's <c>EnableRetryOnFailure</c>, by units of work (<see cref="UnitRetrying"/>).</summary>
internal sealed class SqlServerUnitRetryingStrategy(ExecutionStrategyDependencies dependencies)
    : SqlServerRetryingExecutionStrategy(dependencies, UnitRetrying.MaxRetries, UnitRetrying.MaxDelay, errorNumbersToAdd: null)
{
    public override TResult Execute<TState, TResult>(TState state, Func<DbContext, TState, TResult> operation, Func<DbContext, TState, ExecutionResult<TResult>>? verifySucceeded) =>
        UnitRetrying.OutsideAUnit(Dependencies, Current is not null)
            ? operation(Dependencies.CurrentContext.Context, state)
            : base.Execute(state, operation, verifySucceeded);

    public override Task<TResult> ExecuteAsync<TState, TResult>(
        TState state,
        Func<DbContext, TState, CancellationToken, Task<TResult>> operation,
        Func<DbContext, TState, CancellationToken, Task<ExecutionResult<TResult>>>? verifySucceeded,
        CancellationToken cancellationToken = default) =>
        UnitRetrying.OutsideAUnit(Dependencies, Current is not null)
            ? operation(Dependencies.CurrentContext.Context, state, cancellationToken)
            : base.ExecuteAsync(state, operation, verifySucceeded, cancellationToken);
}
