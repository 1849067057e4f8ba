using Microsoft.EntityFrameworkCore;
using MultiOrg.Data;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Tests.Harness;

/// <summary>
/// A real SQLite database in a temp file, migrated. The migrations run once per test run into a template file
/// that each test copies, so every test starts from an empty, fully migrated database.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    private static readonly Lazy<string> Template = new(CreateTemplate, LazyThreadSafetyMode.ExecutionAndPublication);

    public TestDatabase()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"multiorg-test-{Guid.NewGuid():N}.db");
        File.Copy(Template.Value, Path);
        ConnectionString = $"Data Source={Path};Pooling=False";
        Provider = new MultiOrgDbProvider(DatabaseProvider.Sqlite, ConnectionString);
    }

    public string Path { get; }

    public string ConnectionString { get; }

    public MultiOrgDbProvider Provider { get; }

    /// <summary>A context with no tenant: sees every non-tenant table and no tenant-owned row.</summary>
    public MultiOrgDbContext CreateContext(TenantContext? tenant = null) => Provider.Create(tenant ?? new TenantContext());

    /// <summary>Puts an organization on a plan, as its owner's plan change would; straight in the database for test set-up.</summary>
    public async Task SubscribeAsync(Guid organizationId, MultiOrg.Domain.Billing.PlanDefinition plan, DateTime? now = null)
    {
        await using var db = CreateContext(TenantContext.ForJob(organizationId, ""));
        await db.Set<MultiOrg.Domain.Billing.Subscription>().Where(s => s.OrganizationId == organizationId).ExecuteDeleteAsync();
        var subscription = MultiOrg.Domain.Billing.Subscription.Start(plan, now ?? DateTime.UtcNow);
        db.Set<MultiOrg.Domain.Billing.Subscription>().Add(subscription);
        await db.SaveChangesAsync();
    }

    public void Dispose()
    {
        foreach (var file in new[] { Path, Path + "-wal", Path + "-shm" })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // A file still open by a pooled handle is cleaned up with the temp folder.
            }
        }
    }

    private static string CreateTemplate()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"multiorg-template-{Guid.NewGuid():N}.db");
        var provider = new MultiOrgDbProvider(DatabaseProvider.Sqlite, $"Data Source={path};Pooling=False");
        using var db = provider.Create(new TenantContext());
        db.Database.Migrate();
        db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
        db.Database.ExecuteSqlRaw("PRAGMA wal_checkpoint(TRUNCATE);");
        return path;
    }
}
