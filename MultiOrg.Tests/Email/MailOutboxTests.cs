using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using MultiOrg.Domain.Mail;
using MultiOrg.Tests.Harness;
using MultiOrg.Web.Email;

namespace MultiOrg.Tests.Email;

/// <summary>
/// The mail outbox in the real app against a real SMTP server on a loopback port that refuses (421) for a while, then
/// takes mail. Time is the app's own clock, a fake one the test moves: the job waits for due times, never the test.
/// </summary>
public sealed class MailOutboxTests
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Now, to the whole second: PostgreSQL keeps microseconds, so a due time computed from a clock with a tick of 100 ns
    /// comes back a few ticks off what the test computes from the same clock.
    /// </summary>
    private static DateTimeOffset Start => DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    /// <summary>The app over <paramref name="connectionString"/> (its own database when none), its outbox job ticked by the test.</summary>
    private static ApiFactory App(SmtpSink smtp, FakeTimeProvider clock, string? connectionString = null, int maxAttempts = 10)
    {
        var settings = smtp.Settings();
        settings["Email:Outbox:QuickRetries"] = "1";
        settings["Email:Outbox:QuickRetryDelay"] = "00:00:00";
        settings["Email:Outbox:FirstRetryAfter"] = "00:01:00";
        settings["Email:Outbox:MaxAttempts"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Security:AuditRetentionJob"] = "false";
        if (connectionString is not null)
        {
            settings["ConnectionStrings:MultiOrg"] = connectionString;
        }

        return new ApiFactory(settings)
        {
            ExtraServices = services =>
            {
                services.AddSingleton<TimeProvider>(clock);
                services.AddLogging(logging => logging.AddFakeLogging());
                // The hosted job's own ticks would race the test's set-up: the test ticks it.
                services.Remove(services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(MailOutboxJob)));
                services.AddSingleton<MailOutboxJob>();
            },
        };
    }

    [Fact]
    public async Task Mails_written_while_the_smtp_server_refuses_arrive_exactly_once_when_it_takes_mail_again()
    {
        await using var smtp = new SmtpSink(refusing: true);
        var clock = new FakeTimeProvider(Start);
        using var app = App(smtp, clock);
        var job = app.Services.GetRequiredService<MailOutboxJob>();

        // Registering mails a confirmation link: the refusal neither fails the registration nor loses the mail.
        var owner = await app.RegisterAsync("olivia");
        var organizationId = await owner.CreateOrganizationAsync("Acme");
        string[] invitees = ["ivy@example.test", "ian@example.test", "isla@example.test"];
        var invited = await owner.Client.PostAsJsonAsync($"/api/organizations/{organizationId}/invitations", new { emails = invitees });
        var body = await invited.Content.ReadAsStringAsync();
        invited.StatusCode.Should().Be(HttpStatusCode.OK, body);
        var result = JsonDocument.Parse(body).RootElement;
        result.GetProperty("mailQueued").GetBoolean().Should().BeTrue(body);
        result.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("message").GetString())
            .Should().OnlyContain(m => m!.Contains("queued, will retry"), body);
        (await owner.Client.PostAsJsonAsync("/api/auth/forgotPassword", new { email = owner.Email })).StatusCode.Should().Be(HttpStatusCode.OK);

        string[] everyone = [owner.Email, .. invitees];
        var expected = everyone.Length + 1; // the owner gets the confirmation and the reset code
        smtp.Messages.Should().BeEmpty("the server refused every message so far");
        var refusedInline = smtp.Refused;
        refusedInline.Should().Be(3, "each of the three commits (registration, invitations, reset) tried its first mail once, and a refusing server ends the batch");
        (await OutboxAsync(app)).Should().HaveCount(expected).And.OnlyContain(m => m.SentAt == null && m.Attempts == 1 && m.LastError!.Contains("try later"));

        // Not due yet: the job waits out the first backoff.
        (await job.TickAsync(CancellationToken.None)).Should().BeTrue();
        smtp.Refused.Should().Be(refusedInline, "nothing is due before its backoff has passed");

        clock.Advance(FirstRetry);
        (await job.TickAsync(CancellationToken.None)).Should().BeTrue();
        smtp.Refused.Should().Be(refusedInline + 2, "the job's attempt retried the connection once at once (Polly), then left the batch to the backoff");
        (await OutboxAsync(app)).Should().OnlyContain(m => m.Attempts == 2 && m.NextAttemptAt == clock.GetUtcNow().UtcDateTime + 2 * FirstRetry,
            "the second failure doubles the wait");

        smtp.Refusing = false;
        clock.Advance(FirstRetry);
        (await job.TickAsync(CancellationToken.None)).Should().BeTrue();
        smtp.Messages.Should().BeEmpty("still inside the doubled backoff");
        clock.Advance(FirstRetry);
        (await job.TickAsync(CancellationToken.None)).Should().BeTrue();

        foreach (var address in everyone)
        {
            smtp.To(address).Should().HaveCount(address == owner.Email ? 2 : 1, $"{address} gets each of its mails once");
        }

        smtp.Messages.Should().HaveCount(expected);
        var link = smtp.To(invitees[0]).Single().TextBody;
        link.Should().Contain("/Account/Invitation?token=");
        var rows = await OutboxAsync(app);
        rows.Should().OnlyContain(m => m.SentAt != null && m.Content == null, "a sent mail keeps no copy of its single-use link");

        // Later runs find nothing to send again.
        clock.Advance(TimeSpan.FromHours(1));
        (await job.TickAsync(CancellationToken.None)).Should().BeTrue();
        smtp.Messages.Should().HaveCount(expected);
    }

    [Fact]
    public async Task Two_app_instances_sending_the_same_outbox_send_each_mail_exactly_once()
    {
        await using var smtp = new SmtpSink(refusing: true);
        var clock = new FakeTimeProvider(Start);
        using var first = App(smtp, clock);
        var owner = await first.RegisterAsync("olivia");
        using var second = App(smtp, clock, first.Database.ConnectionString);
        var organizationId = await SeatsForManyAsync(first, owner, clock);
        var invitees = Enumerable.Range(1, 20).Select(i => $"person.{i}@example.test").ToArray();
        (await owner.Client.PostAsJsonAsync($"/api/organizations/{organizationId}/invitations", new { emails = invitees })).EnsureSuccessStatusCode();
        smtp.Refusing = false;
        clock.Advance(FirstRetry);

        // Both servers' jobs at the same due time: the lease lets one run.
        var ticks = await Task.WhenAll(
            first.Services.GetRequiredService<MailOutboxJob>().TickAsync(CancellationToken.None),
            second.Services.GetRequiredService<MailOutboxJob>().TickAsync(CancellationToken.None));
        ticks.Count(ran => ran).Should().Be(1, "the run-once lease gives the due time to one server");

        smtp.Messages.Should().HaveCount(invitees.Length + 1, "each invitation and the owner's confirmation once");
        foreach (var address in invitees)
        {
            smtp.To(address).Should().ContainSingle(address);
        }
    }

    [Fact]
    public async Task Both_servers_racing_over_the_outbox_send_no_mail_twice()
    {
        await using var smtp = new SmtpSink(refusing: true);
        var clock = new FakeTimeProvider(Start);
        using var first = App(smtp, clock);
        var owner = await first.RegisterAsync("olivia");
        using var second = App(smtp, clock, first.Database.ConnectionString);
        var organizationId = await SeatsForManyAsync(first, owner, clock);
        var invitees = Enumerable.Range(1, 24).Select(i => $"racer.{i}@example.test").ToArray();
        (await owner.Client.PostAsJsonAsync($"/api/organizations/{organizationId}/invitations", new { emails = invitees })).EnsureSuccessStatusCode();
        smtp.Refusing = false;
        clock.Advance(FirstRetry);

        // Without the lease (a run outlasting its interval meets the next server's run): the conditional claims alone decide.
        var runs = await Task.WhenAll(
            first.Services.GetRequiredService<MailOutbox>().SendDueAsync(CancellationToken.None),
            second.Services.GetRequiredService<MailOutbox>().SendDueAsync(CancellationToken.None));

        runs.Sum(r => r.Sent).Should().Be(invitees.Length + 1, $"between them they sent every mail once ({runs[0]} / {runs[1]})");
        smtp.Messages.Should().HaveCount(invitees.Length + 1);
        smtp.Messages.GroupBy(m => m.MessageId).Should().OnlyContain(g => g.Count() == 1, "no message went out twice");
        (await OutboxAsync(first)).Should().OnlyContain(m => m.SentAt != null);
    }

    [Fact]
    public async Task A_mail_the_server_keeps_refusing_is_given_up_after_the_bound_logged_and_shown_in_the_audit_log()
    {
        await using var smtp = new SmtpSink(refusing: true);
        var clock = new FakeTimeProvider(Start);
        using var app = App(smtp, clock, maxAttempts: 3);
        var job = app.Services.GetRequiredService<MailOutboxJob>();
        var owner = await app.RegisterAsync("olivia");
        var organizationId = await owner.CreateOrganizationAsync("Acme");
        (await owner.Client.PostAsJsonAsync($"/api/organizations/{organizationId}/invitations", new { emails = new[] { "gone@example.test" } })).EnsureSuccessStatusCode();

        clock.Advance(FirstRetry);
        await job.TickAsync(CancellationToken.None);
        clock.Advance(2 * FirstRetry);
        await job.TickAsync(CancellationToken.None);
        var refused = smtp.Refused;
        clock.Advance(TimeSpan.FromDays(1));
        await job.TickAsync(CancellationToken.None);
        smtp.Refused.Should().Be(refused, "a given-up mail is not tried again");

        var invitation = (await OutboxAsync(app)).Single(m => m.Kind == "invitation");
        invitation.Attempts.Should().Be(3);
        invitation.FailedAt.Should().NotBeNull();
        var logs = app.Services.GetFakeLogCollector().GetSnapshot();
        logs.Should().Contain(r => r.Level == LogLevel.Error && r.Message.Contains("invitation mail") && r.Message.Contains("given up after 3 attempts"));
        logs.Should().NotContain(r => r.Message.Contains("gone@example.test") || r.Message.Contains("token="), "no address or link is logged");

        // A day later the owner signs in again and reads the audit log, where the give-up is recorded.
        using var client = await app.LoginAsync(owner.Email, ApiFactory.Password);
        var audit = await client.GetFromJsonAsync<JsonElement>($"/api/organizations/{organizationId}/audit");
        var entry = audit.GetProperty("items").EnumerateArray().Single(e => e.GetProperty("action").GetString() == OutboxAudit.GivenUpAction);
        entry.ToString().Should().Contain("gone@example.test").And.Contain("invitation");
    }

    /// <summary>An organization on a plan with seats for every invitation of the test.</summary>
    private static async Task<Guid> SeatsForManyAsync(ApiFactory app, ApiUser owner, FakeTimeProvider clock)
    {
        var organizationId = await owner.CreateOrganizationAsync("Acme");
        await app.Database.SubscribeAsync(organizationId, MultiOrg.Domain.Billing.BillingOptions.Defaults().Plans.Single(p => p.Code == "partner"), clock.GetUtcNow().UtcDateTime);
        return organizationId;
    }

    private static async Task<List<OutboxMail>> OutboxAsync(ApiFactory app)
    {
        await using var db = app.Database.CreateContext();
        return await db.Set<OutboxMail>().AsNoTracking().ToListAsync();
    }
}
