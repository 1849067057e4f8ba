using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MultiOrg.Data;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Web.Hosting;

/// <summary>Ready when the database answers and has no pending migrations.</summary>
internal sealed class DatabaseHealthCheck(MultiOrgDbProvider provider) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = provider.Create(new TenantContext());
        if (!await db.Database.CanConnectAsync(cancellationToken))
        {
            return HealthCheckResult.Unhealthy("The database does not answer.");
        }

        var pending = await db.Database.GetPendingMigrationsAsync(cancellationToken);
        return pending.Any()
            ? HealthCheckResult.Unhealthy("The database has pending migrations.")
            : HealthCheckResult.Healthy();
    }
}
