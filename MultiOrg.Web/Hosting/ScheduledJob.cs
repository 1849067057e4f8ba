using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Options;
using MultiOrg.Domain.Jobs;
using MultiOrg.Web.Features.Assistant;
using MultiOrg.Web.Features.Audit;
using MultiOrg.Web.Features.Billing;
using MultiOrg.Web.Features.Joining;
using MultiOrg.Web.Features.Security;

namespace MultiOrg.Web.Hosting;

/// <summary>The <c>Jobs</c> section: each background job's interval, by the job's name.</summary>
public sealed class JobsSettings
{
    public const string Section = "Jobs";

    [ConfigurationKeyName(PeriodCloseJob.JobName)]
    public JobSchedule BillingPeriodClose { get; set; } = new();

    [ConfigurationKeyName(AuditRetentionJob.JobName)]
    public JobSchedule AuditRetention { get; set; } = new();

    [ConfigurationKeyName(RefreshTokenPurgeJob.JobName)]
    public JobSchedule RefreshTokenPurge { get; set; } = new();

    [ConfigurationKeyName(DomainRecheckJob.JobName)]
    public JobSchedule DomainRecheck { get; set; } = new();

    [ConfigurationKeyName(AssistantClientPurgeJob.JobName)]
    public JobSchedule AssistantClientPurge { get; set; } = new();

    [ConfigurationKeyName(Email.MailOutboxJob.JobName)]
    public JobSchedule MailOutbox { get; set; } = new();

    internal TimeSpan? IntervalOf(string job) =>
        typeof(JobsSettings).GetProperties().FirstOrDefault(p => p.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name == job)?.GetValue(this) is JobSchedule schedule
            ? schedule.Interval
            : null;
}

public sealed class JobSchedule
{
    [Description("how often the job runs, once across all servers (a time span, `00:05:00`); none: the job's own interval")]
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan? Interval { get; set; }
}

/// <summary>
/// A background job that runs once per due time across every server on the same database: each tick claims the
/// interval's slot in <c>JobRuns</c>; the server whose claim commits runs it, the others skip that slot.
/// <c>Jobs:{name}:Interval</c> (a time span, e.g. <c>00:05:00</c>) overrides a job's own interval.
/// </summary>
internal abstract partial class ScheduledJob(IServiceScopeFactory scopes, TimeProvider time, IOptions<JobsSettings> jobs, AppMetrics metrics, ILogger logger) : BackgroundService
{
    private static readonly string Holder = $"{Environment.MachineName}/{Environment.ProcessId}";

    protected abstract string Name { get; }

    /// <summary>The job's own interval, unless configuration sets another.</summary>
    protected abstract TimeSpan DefaultInterval { get; }

    public TimeSpan Interval => jobs.Value.IntervalOf(Name) ?? DefaultInterval;

    /// <summary>The work of one due time, in its own scope; returns a short outcome for the JobRuns row.</summary>
    protected abstract Task<string> RunAsync(IServiceProvider services, DateTime now, CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            await TickAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One tick: claim this interval's slot and run, or skip when another server has it.</summary>
    public async Task<bool> TickAsync(CancellationToken ct)
    {
        using var span = Domain.AppTracing.Source.StartActivity($"job {Name}");
        span?.SetTag("multiorg.job", Name);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var leases = scope.ServiceProvider.GetRequiredService<JobLeases>();
            var now = time.GetUtcNow().UtcDateTime;
            var due = JobLeases.DueSlot(now, Interval);
            var run = await leases.TryClaimAsync(Name, due, Holder, now, ct);
            if (run is null)
            {
                LogSkipped(Name, due, Holder);
                span?.SetTag("multiorg.job.outcome", "skipped");
                return false;
            }

            var outcome = await RunAsync(scope.ServiceProvider, now, ct);
            await leases.FinishAsync(run, outcome, time.GetUtcNow().UtcDateTime, ct);
            LogRan(Name, due, Holder, outcome);
            span?.SetTag("multiorg.job.outcome", outcome);
            metrics.JobRan(Name);
            return true;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // The next slot retries; a failed run must not stop the host.
            LogFailed(error, Name);
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, error.GetType().Name);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} ran due time {Due:o} on {Holder}: {Outcome}")]
    private partial void LogRan(string job, DateTime due, string holder, string outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} skipped due time {Due:o} on {Holder}: another server holds it")]
    private partial void LogSkipped(string job, DateTime due, string holder);

    [LoggerMessage(Level = LogLevel.Error, Message = "Background job {Job} failed; the next due time retries it.")]
    private partial void LogFailed(Exception error, string job);
}
