using MultiOrg.Domain.Text;

namespace MultiOrg.Web.Hosting;

/// <summary>
/// At start, lists in the log every stored name that breaks the name rule (written before it existed): one line per row
/// with its kind, id, organization and the rule broken, never the name itself (it may hold terminal escapes).
/// The owners see the same list on their Settings page.
/// </summary>
public static partial class UnsafeNameCheck
{
    public static async Task ReportUnsafeNamesAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(UnsafeNameCheck).FullName!);
        IReadOnlyList<UnsafeName> found;
        try
        {
            found = await scope.ServiceProvider.GetRequiredService<UnsafeNames>().ScanAllAsync(ct);
        }
        catch (System.Data.Common.DbException error)
        {
            // A database not migrated yet (Database:MigrateOnStartup off) is the readiness check's to report, not a reason not to start.
            LogSkipped(logger, error.Message);
            return;
        }

        foreach (var name in found)
        {
            LogUnsafeName(logger, name.Kind, name.Id, name.OrganizationId?.ToString() ?? "-", name.Rule);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The check of stored names was skipped: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Name to rename: {Kind} {Id} (organization {OrganizationId}): {Rule}")]
    private static partial void LogUnsafeName(ILogger logger, string kind, string id, string organizationId, string rule);
}
