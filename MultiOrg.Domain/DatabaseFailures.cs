using Microsoft.EntityFrameworkCore;

namespace MultiOrg.Domain;

/// <summary>Telling a rule the database enforced (a unique index) from a failure that only says "try again".</summary>
public static class DatabaseFailures
{
    /// <summary>
    /// A deadlock, serialization failure or dropped connection (the provider's own verdict): inside a unit of work
    /// (<see cref="IMultiOrgDb.WriteAsync{T}(Func{CancellationToken, Task{T}}, CancellationToken)"/>) it must reach the
    /// execution strategy, which repeats the unit, and never be translated into a refusal such as "already a member".
    /// </summary>
    public static bool IsTransient(this DbUpdateException exception) =>
        exception.InnerException is System.Data.Common.DbException { IsTransient: true };
}
