using Microsoft.Extensions.Options;
using MultiOrg.Web.Hosting;

namespace MultiOrg.Web.Email;

/// <summary>
/// Sends the outbox's due mails once a minute, once across all servers (the run-once lease), and removes the record of
/// mails sent more than 30 days ago. The mails' own claims keep it from sending one a request or another server is sending.
/// </summary>
internal sealed class MailOutboxJob(IServiceScopeFactory scopes, TimeProvider time, IOptions<JobsSettings> jobs, AppMetrics metrics, ILogger<MailOutboxJob> logger)
    : ScheduledJob(scopes, time, jobs, metrics, logger)
{
    public const string JobName = "mail-outbox";

    protected override string Name => JobName;

    protected override TimeSpan DefaultInterval => TimeSpan.FromMinutes(1);

    protected override async Task<string> RunAsync(IServiceProvider services, DateTime now, CancellationToken ct)
    {
        var outbox = services.GetRequiredService<MailOutbox>();
        var run = await outbox.SendDueAsync(ct);
        var purged = await outbox.PurgeSentAsync(now - TimeSpan.FromDays(30), ct);
        return purged == 0 ? run.ToString() : $"{run}, {purged} old record(s) removed";
    }
}
