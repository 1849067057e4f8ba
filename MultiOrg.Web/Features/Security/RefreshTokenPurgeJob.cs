using Microsoft.Extensions.Options;
using MultiOrg.Domain.Security;
using MultiOrg.Web.Hosting;

namespace MultiOrg.Web.Features.Security;

/// <summary>Removes, once an hour across all servers, the used refresh tokens whose families can hold no valid token any more.</summary>
internal sealed class RefreshTokenPurgeJob(IServiceScopeFactory scopes, TimeProvider time, IOptions<JobsSettings> jobs, AppMetrics metrics, ILogger<RefreshTokenPurgeJob> logger)
    : ScheduledJob(scopes, time, jobs, metrics, logger)
{
    public const string JobName = "refresh-token-purge";

    protected override string Name => JobName;

    protected override TimeSpan DefaultInterval => TimeSpan.FromHours(1);

    protected override async Task<string> RunAsync(IServiceProvider services, DateTime now, CancellationToken ct) =>
        $"{await services.GetRequiredService<RefreshTokenService>().PurgeExpiredAsync(now, ct)} used refresh token(s) removed";
}
