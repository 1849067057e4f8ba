using MailKit.Net.Smtp;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using MultiOrg.Data;
using MultiOrg.Domain;
using MultiOrg.Domain.Mail;
using MultiOrg.Domain.Tenancy;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace MultiOrg.Web.Email;

/// <summary>
/// Every mail the app sends goes through here: written into the causing change's save (<see cref="Add"/>), sent right
/// after it commits (<see cref="SendAsync"/>, one try), and retried by <see cref="MailOutboxJob"/> with a doubling wait until
/// sent or given up after <see cref="OutboxOptions.MaxAttempts"/>.
/// </summary>
/// <remarks>
/// Whoever sends a mail first claims it with a conditional update (unsent, not given up, claim free or lapsed), so the
/// request that caused it and the job on any server never both send it. A server that dies between the SMTP server's
/// acceptance and the update leaves it to be sent again once the claim lapses: at least once, never lost.
/// </remarks>
public sealed partial class MailOutbox(
    MultiOrgDbProvider databases, MailSender mail, IDataProtectionProvider protection, TimeProvider time, IOptions<EmailOptions> options,
    ResiliencePipeline pipeline, IServiceScopeFactory? scopes, ILogger<MailOutbox> logger)
{
    public const string PipelineName = "mail-outbox";

    /// <summary>Mails one claim takes: one SMTP connection each, and below SQL Server's parameter limit.</summary>
    private const int Batch = 200;

    private readonly IDataProtector protector = protection.CreateProtector("MultiOrg.MailOutbox.v1");

    private OutboxOptions Settings => options.Value.Outbox;

    /// <summary>Right after a commit someone is waiting for the answer: one try within the time bound, no quick retries.</summary>
    private ResiliencePipeline Inline => inline ??= new ResiliencePipelineBuilder { TimeProvider = time }.AddTimeout(Settings.SendTimeout).Build();

    private ResiliencePipeline? inline;

    /// <summary>
    /// Polly around one message: quick exponential retries when the connection fails, a bound on each hand-over. A
    /// message the server rejects (recipient, sender, content) is not retried here; the outbox's own backoff takes it.
    /// </summary>
    public static void Configure(ResiliencePipelineBuilder builder, OutboxOptions settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.QuickRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(error => !IsMessageRejection(error) && error is not OperationCanceledException),
                MaxRetryAttempts = settings.QuickRetries,
                BackoffType = DelayBackoffType.Exponential,
                Delay = settings.QuickRetryDelay,
                UseJitter = settings.QuickRetryDelay > TimeSpan.Zero,
            });
        }

        builder.AddTimeout(settings.SendTimeout);
    }

    /// <summary>Writes the messages into <paramref name="db"/>'s unit (saved with it); send them after it commits.</summary>
    public QueuedMail Add(IMultiOrgDb db, string kind, Guid? organizationId, IEnumerable<MimeMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(messages);
        var now = time.GetUtcNow().UtcDateTime;
        var ids = new List<Guid>();
        foreach (var message in messages)
        {
            using var buffer = new MemoryStream();
            message.WriteTo(buffer);
            var recipient = string.Join(", ", message.To.Mailboxes.Select(m => m.Address));
            var row = new OutboxMail
            {
                Kind = kind,
                OrganizationId = organizationId,
                Recipient = recipient.Length > OutboxMail.RecipientMaxLength ? recipient[..OutboxMail.RecipientMaxLength] : recipient,
                Content = protector.Protect(buffer.ToArray()),
                CreatedAt = now,
                NextAttemptAt = now,
            };
            db.Set<OutboxMail>().Add(row);
            ids.Add(row.Id);
        }

        return new QueuedMail(ids, SendAsync);
    }

    /// <summary>Sends these mails now, those nobody else is sending; true when all of them are sent. Never throws for a failed mail.</summary>
    public async Task<bool> SendAsync(IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        var unsent = 0;
        foreach (var chunk in ids.Chunk(Batch))
        {
            var round = await ClaimAndSendAsync(m => chunk.Contains(m.Id), Inline, ct);
            unsent += round.Retrying + round.GivenUp;
        }

        if (unsent == 0)
        {
            // Sent here, or by another server that claimed one first: either way nothing waits.
            await using var db = databases.Create(new TenantContext());
            return !await db.Set<OutboxMail>().AnyAsync(m => ids.Contains(m.Id) && m.SentAt == null, ct);
        }

        return false;
    }

    /// <summary>The job's run: every due mail, a batch at a time, until none is due or the SMTP server fails.</summary>
    public async Task<OutboxRun> SendDueAsync(CancellationToken ct)
    {
        var total = new OutboxRun(0, 0, 0);
        OutboxRun round;
        do
        {
            var now = time.GetUtcNow().UtcDateTime;
            round = await ClaimAndSendAsync(m => m.NextAttemptAt <= now, pipeline, ct);
            total = new OutboxRun(total.Sent + round.Sent, total.Retrying + round.Retrying, total.GivenUp + round.GivenUp);
        }
        while (round.Claimed == Batch && round.Retrying + round.GivenUp == 0);

        return total;
    }

    /// <summary>Forgets mails sent before <paramref name="before"/> (their content is already gone); given-up mails stay.</summary>
    public async Task<int> PurgeSentAsync(DateTime before, CancellationToken ct)
    {
        await using var db = databases.Create(new TenantContext());
        return await db.Set<OutboxMail>().Where(m => m.SentAt != null && m.SentAt < before).ExecuteDeleteAsync(ct);
    }

    private async Task<OutboxRun> ClaimAndSendAsync(System.Linq.Expressions.Expression<Func<OutboxMail, bool>> which, ResiliencePipeline sending, CancellationToken ct)
    {
        var claim = Guid.NewGuid().ToString("N");
        List<Claimed> claimed;
        await using (var db = databases.Create(new TenantContext()))
        {
            var now = time.GetUtcNow().UtcDateTime;
            var candidates = await Claimable(db, now).Where(which).OrderBy(m => m.NextAttemptAt).Select(m => m.Id).Take(Batch).ToListAsync(ct);
            if (candidates.Count == 0)
            {
                return new OutboxRun(0, 0, 0);
            }

            // The claim: one conditional update. Of two servers racing for a row, the second finds it claimed and skips it.
            await Claimable(db, now).Where(m => candidates.Contains(m.Id)).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.ClaimedBy, claim)
                .SetProperty(m => m.ClaimedUntil, now + Settings.ClaimFor), ct);
            claimed = await db.Set<OutboxMail>().AsNoTracking().Where(m => m.ClaimedBy == claim).OrderBy(m => m.NextAttemptAt)
                .Select(m => new Claimed(m.Id, m.Kind, m.OrganizationId, m.Recipient, m.Attempts, m.Content)).ToListAsync(ct);
        }

        var (sent, retrying, givenUp) = (0, 0, 0);
        Exception? serverFailure = null;
        await using (var session = mail.OpenSession())
        {
            foreach (var row in claimed)
            {
                // Once the server itself failed (down, refusing, timing out), the rest of the batch is not sent into it.
                var failure = serverFailure;
                if (failure is null)
                {
                    try
                    {
                        using var content = new MemoryStream(protector.Unprotect(row.Content ?? []));
                        var message = await MimeMessage.LoadAsync(content, ct);
                        await sending.ExecuteAsync(async token => await session.SendAsync(message, token), ct);
                        await FinishAsync(row, claim, error: null, ct);
                        sent++;
                        continue;
                    }
                    catch (Exception error) when (error is not OperationCanceledException || !ct.IsCancellationRequested)
                    {
                        failure = error;
                        serverFailure = IsMessageRejection(error) || error is System.Security.Cryptography.CryptographicException ? null : error;
                    }
                }

                if (await FinishAsync(row, claim, failure, ct))
                {
                    givenUp++;
                }
                else
                {
                    retrying++;
                }
            }
        }

        return new OutboxRun(sent, retrying, givenUp) { Claimed = claimed.Count };
    }

    private static IQueryable<OutboxMail> Claimable(IMultiOrgDb db, DateTime now) =>
        db.Set<OutboxMail>().Where(m => m.SentAt == null && m.FailedAt == null && (m.ClaimedUntil == null || m.ClaimedUntil < now));

    /// <summary>Records the outcome under this claim only; true when the mail is given up.</summary>
    private async Task<bool> FinishAsync(Claimed row, string claim, Exception? error, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var attempts = row.Attempts + 1;
        await using var db = databases.Create(new TenantContext());
        var mine = db.Set<OutboxMail>().Where(m => m.Id == row.Id && m.ClaimedBy == claim);
        if (error is null)
        {
            var recorded = await mine.ExecuteUpdateAsync(s => s
                .SetProperty(m => m.SentAt, now).SetProperty(m => m.Attempts, attempts).SetProperty(m => m.Content, (byte[]?)null)
                .SetProperty(m => m.ClaimedBy, (string?)null).SetProperty(m => m.ClaimedUntil, (DateTime?)null), CancellationToken.None);
            if (recorded == 0)
            {
                LogClaimLapsed(row.Kind, row.Id);
            }

            return false;
        }

        // The type and the server's answer only: no address, link or credential.
        var reason = $"{error.GetType().Name}: {error.Message}";
        reason = reason.Length > OutboxMail.ErrorMaxLength ? reason[..OutboxMail.ErrorMaxLength] : reason;
        var givenUp = attempts >= Settings.MaxAttempts;
        var wait = TimeSpan.FromTicks(Math.Min(Settings.MaxRetryAfter.Ticks, Settings.FirstRetryAfter.Ticks * (1L << Math.Min(attempts - 1, 30))));
        await mine.ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Attempts, attempts).SetProperty(m => m.LastError, reason).SetProperty(m => m.NextAttemptAt, now + wait)
            .SetProperty(m => m.FailedAt, givenUp ? now : (DateTime?)null)
            .SetProperty(m => m.ClaimedBy, (string?)null).SetProperty(m => m.ClaimedUntil, (DateTime?)null), CancellationToken.None);
        if (!givenUp)
        {
            LogRetrying(row.Kind, row.Id, attempts, now + wait, error.GetType().Name, error.Message);
            return false;
        }

        LogGivenUp(row.Kind, row.Id, attempts, error.GetType().Name, error.Message);
        if (row.OrganizationId is { } organizationId && scopes is not null)
        {
            // Where the organization's administrators look: its audit log names the mail they must send another way.
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<OutboxAudit>().RecordGivenUpAsync(organizationId, row.Id, row.Kind, row.Recipient, attempts, reason, CancellationToken.None);
        }

        return true;
    }

    /// <summary>
    /// The server refused this message for good (a 5xx for the recipient, sender or content), not the session: other mails
    /// may still go. A 4xx ("try later") is the server's state and is treated as the server failing.
    /// </summary>
    private static bool IsMessageRejection(Exception error) =>
        error is SmtpCommandException { ErrorCode: SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.SenderNotAccepted or SmtpErrorCode.MessageNotAccepted } command
        && (int)command.StatusCode >= 500;

    private sealed record Claimed(Guid Id, string Kind, Guid? OrganizationId, string Recipient, int Attempts, byte[]? Content);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Kind} mail {Id} could not be sent (attempt {Attempts}, {Error}: {Reason}); it is retried from {Next:o}.")]
    private partial void LogRetrying(string kind, Guid id, int attempts, DateTime next, string error, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Kind} mail {Id} is given up after {Attempts} attempts ({Error}: {Reason}); it stays in OutboxMails with FailedAt set.")]
    private partial void LogGivenUp(string kind, Guid id, int attempts, string error, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Kind} mail {Id} was sent after its claim lapsed: another server may send it again. Raise Email:Outbox:ClaimFor.")]
    private partial void LogClaimLapsed(string kind, Guid id);
}

/// <summary>What one pass over the outbox did.</summary>
public sealed record OutboxRun(int Sent, int Retrying, int GivenUp)
{
    internal int Claimed { get; init; }

    public override string ToString() => $"{Sent} sent, {Retrying} to retry, {GivenUp} given up";
}
