using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using MultiOrg.Domain.Errors;

namespace MultiOrg.Data;

/// <summary>
/// ExecuteUpdate and ExecuteDelete never reach SaveChanges, so the save guard never sees them. Under a read-only
/// impersonation this refuses, at the database command, any UPDATE or DELETE that names a table of organization data,
/// as the save guard refuses a tracked change. Every other context passes untouched (the tenant filter already narrows
/// a bulk write to the context's organization; which files may write in bulk at all is held by a test).
/// </summary>
internal sealed partial class BulkWriteGuard : DbCommandInterceptor
{
    public static BulkWriteGuard Instance { get; } = new();

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Check(command, eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Check(command, eventData.Context);
        return ValueTask.FromResult(result);
    }

    private static void Check(DbCommand command, DbContext? context)
    {
        if (context is not MultiOrgDbContext { IsReadOnlyImpersonation: true } db)
        {
            return;
        }

        var text = command.CommandText.TrimStart();
        if (!text.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase) && !text.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        // Any organization table the statement names (its target, or one it reads to choose rows): refusing too much
        // during a read-only impersonation is the safe side.
        var tables = db.OrganizationTables();
        if (QuotedName().Matches(text).Any(m => tables.Contains(m.Groups["double"].Success ? m.Groups["double"].Value : m.Groups["bracket"].Value)))
        {
            throw new DomainException(DomainErrorKind.Forbidden, DomainMessages.ReadOnlyImpersonation);
        }
    }

    // "Name" (SQLite, PostgreSQL) or [Name] (SQL Server).
    [GeneratedRegex("\"(?<double>[^\"]+)\"|\\[(?<bracket>[^\\]]+)\\]")]
    private static partial Regex QuotedName();
}
