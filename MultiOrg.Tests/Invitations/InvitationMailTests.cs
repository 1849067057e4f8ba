using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MultiOrg.Domain.Branding;
using MultiOrg.Domain.Invitations;
using MultiOrg.Domain.Organizations;
using MultiOrg.Web.Email;
using MultiOrg.Tests.Harness;
using MultiOrg.Web.Features.Invitations;

namespace MultiOrg.Tests.Invitations;

/// <summary>The invitation mail as written to the pickup folder: what people chose to call themselves stays on its line.</summary>
public sealed class InvitationMailTests : IDisposable
{
    private readonly Mailbox mailbox = new();

    public void Dispose() => mailbox.Dispose();

    [Fact]
    public async Task Line_breaks_in_names_never_start_a_line_of_their_own_in_the_invitation_mail()
    {
        var mail = new MailSender(Options.Create(new EmailOptions { PickupDirectory = mailbox.Directory }),
            new HostingEnvironment { ContentRootPath = mailbox.Directory }, NullLogger<MailSender>.Instance);
        using var database = new TestDatabase();
        var mailer = new InvitationMailer(mail, new AppLinks(Options.Create(new MultiOrg.Web.Hosting.AppOptions { PublicBaseUrl = InvitationWorld.BaseUrl })),
            TestOutbox.Over(database, mail));

        // Names stored before the name rule, or arriving from an identity provider, can hold any character.
        InvitationLetter Letter(string email, string? subject = null, string? body = null) => new(
            email, "Line1\r\nBcc: evil@x", "Acme\u2028Bcc: org@x", "Eve\nBcc: inviter@x\u0085Bcc: nel@x", OrganizationRole.Member, "token",
            new DateTime(2026, 12, 24, 0, 0, 0, DateTimeKind.Utc), subject, body);
        await mail.SendAsync(new[]
        {
            Letter("default@example.test"),
            Letter("template@example.test", InvitationTemplate.DefaultSubject, InvitationTemplate.DefaultBody),
        }.Select(mailer.Compose));

        foreach (var email in new[] { "default@example.test", "template@example.test" })
        {
            var message = mailbox.To(email).Should().ContainSingle().Subject;
            var lines = message.TextBody!.ReplaceLineEndings("\n").Split('\n');
            lines.Should().NotContain(line => line.TrimStart().StartsWith("Bcc:", StringComparison.OrdinalIgnoreCase), $"{email}:\n{message.TextBody}");
            lines.Should().Contain(line => line.Contains("Line1 Bcc: evil@x", StringComparison.Ordinal), message.TextBody);
            message.HtmlBody.Should().NotContain("<br>Bcc:");
            message.Bcc.Count.Should().Be(0);
            message.To.Mailboxes.Should().ContainSingle().Which.Name.Should().NotContainAny("\r", "\n");
        }
    }
}
