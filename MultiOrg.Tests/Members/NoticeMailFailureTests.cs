using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using MultiOrg.Domain.Users;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Members;

/// <summary>
/// A notice mail that fails after the change is committed (the SMTP server refuses) leaves the change saved and the mail
/// queued in the outbox, logs a warning without any secret, and tells the caller "saved, the mail is queued" instead of a 500.
/// </summary>
public sealed class NoticeMailFailureTests : IDisposable
{
    private const string NotSent = MultiOrg.Domain.Errors.DomainMessages.SavedMailNotSent;

    private readonly RefusingSmtp smtp = new();
    private readonly ApiFactory factory;

    public NoticeMailFailureTests()
    {
        var settings = smtp.Settings();
        settings["Security:AuditRetentionJob"] = "false";
        factory = new ApiFactory(settings) { ExtraServices = services => services.AddLogging(logging => logging.AddFakeLogging()) };
    }

    public void Dispose()
    {
        factory.Dispose();
        smtp.Dispose();
    }

    [Fact]
    public async Task Adding_a_member_when_the_smtp_server_refuses_saves_them_and_says_the_mail_could_not_be_sent()
    {
        var owner = await UserAsync("owner");
        var added = await UserAsync("added");
        var id = await owner.CreateOrganizationAsync("Quiet Mail Ltd");

        var response = await owner.Client.PostAsJsonAsync($"/api/organizations/{id}/members", new { email = added.Email, role = "MEMBER" });

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.Created, body);
        JsonDocument.Parse(body).RootElement.GetProperty("notice").GetString().Should().Be(NotSent);
        var members = await owner.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{id}/members");
        members.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("email").GetString()).Should().Contain(added.Email, "the addition is stored");
        AssertWarnedWithoutSecrets("added-to-organization", added.Email);
    }

    [Fact]
    public async Task Shortening_retention_when_the_smtp_server_refuses_saves_the_change_and_says_the_mail_could_not_be_sent()
    {
        var owner = await UserAsync("owner");
        var id = await owner.CreateOrganizationAsync("Quiet Retention Ltd");

        var response = await owner.Client.PutAsJsonAsync($"/api/organizations/{id}/security", new { auditRetentionDays = 400 });

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        JsonDocument.Parse(body).RootElement.GetProperty("notice").GetString().Should().Be(NotSent);
        var policy = await owner.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{id}/security");
        policy.GetProperty("pendingAuditRetentionDays").GetInt32().Should().Be(400, "the shortening is stored and waits out its notice period");
        AssertWarnedWithoutSecrets("retention-shortening", owner.Email);
    }

    private void AssertWarnedWithoutSecrets(string kind, string recipient)
    {
        var logs = factory.Services.GetFakeLogCollector().GetSnapshot();
        logs.Should().Contain(r => r.Level == LogLevel.Warning && r.Category == typeof(MultiOrg.Web.Email.MailOutbox).FullName && r.Message.Contains(kind),
            "a mail that could not be sent is logged as a warning");
        logs.Should().NotContain(r => r.Level >= LogLevel.Error, "a refused notice mail is not an error of the request");
        foreach (var record in logs.Where(r => r.Category == typeof(MultiOrg.Web.Email.MailOutbox).FullName))
        {
            record.Message.Should().NotContain(RefusingSmtp.SmtpPassword).And.NotContain(recipient).And.NotContain("http", "no link of the mail is logged");
        }
    }

    /// <summary>An account made straight through Identity: registering mails a confirmation, which this SMTP server refuses.</summary>
    private async Task<ApiUser> UserAsync(string name)
    {
        var email = $"{name}.{Guid.NewGuid():N}@example.test";
        using (var scope = factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var created = await users.CreateAsync(new AppUser { UserName = email, Email = email, EmailConfirmed = true }, ApiFactory.Password);
            created.Succeeded.Should().BeTrue(string.Join(" ", created.Errors.Select(e => e.Description)));
        }

        var client = await factory.LoginAsync(email, ApiFactory.Password);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/auth/me");
        return new ApiUser(me.GetProperty("user").GetProperty("id").GetString()!, email, client);
    }
}
