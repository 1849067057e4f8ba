using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MultiOrg.Tests.Audit;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Members;

/// <summary>Someone added by email, without being asked, is told by whom, where, and how to leave (#22 point 1).</summary>
public sealed class MemberMailApiTests(MailingApiWorld world) : IClassFixture<MailingApiWorld>
{
    // Registration also mails (the confirmation): only the notice counts here.
    private IReadOnlyList<MimeKit.MimeMessage> AddedMails(ApiUser to) =>
        [.. world.Mailbox.To(to.Email).Where(m => (m.Subject ?? "").Contains("added you to", StringComparison.Ordinal))];

    [Fact]
    public async Task Adding_someone_by_email_mails_them_who_added_them_where_and_how_to_leave()
    {
        var added = await world.Factory.RegisterAsync("added");
        var id = await world.Owner.CreateOrganizationAsync("Surprise Ltd");
        await using (var db = world.Factory.Database.CreateContext())
        {
            await db.Users.Where(u => u.Id == world.Owner.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.DisplayName, "Olivia Owner"));
        }

        var response = await world.Owner.Client.PostAsJsonAsync($"/api/organizations/{id}/members", new { email = added.Email, role = "MEMBER" });

        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var mail = AddedMails(added).Should().ContainSingle().Subject;
        mail.Subject.Should().Be("Olivia Owner added you to Surprise Ltd on MultiOrg");
        mail.TextBody.Should().Contain("Olivia Owner added you to Surprise Ltd on MultiOrg as MEMBER").And.Contain("choose Leave");
        world.Mailbox.LinkTo(added.Email, "/members").Should().Be($"{MailingApiWorld.PublicAddress}organizations/{id}/members",
            "the link opens the members page, where Leave is, on the configured public address");
        mail.HtmlBody.Should().Contain($"href=\"{MailingApiWorld.PublicAddress}organizations/{id}/members\"");
    }

    [Fact]
    public async Task The_added_mail_carries_no_control_or_direction_characters_from_the_adders_name()
    {
        var added = await world.Factory.RegisterAsync("added");
        var adder = await world.Factory.RegisterAsync("adder");
        var id = await adder.CreateOrganizationAsync("Plain Ltd");
        await using (var db = world.Factory.Database.CreateContext())
        {
            // Written before the name rule existed, straight into the row.
            await db.Users.Where(u => u.Id == adder.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.DisplayName, "Eve\r\nBcc: victim@example.test\u202e\u0007"));
        }

        (await adder.Client.PostAsJsonAsync($"/api/organizations/{id}/members", new { email = added.Email, role = "MEMBER" })).EnsureSuccessStatusCode();

        var mail = AddedMails(added).Should().ContainSingle().Subject;
        mail.Subject.Should().NotContain("\n").And.NotContain("\u202e").And.NotContain("\u0007");
        mail.TextBody.Should().NotContain("\nBcc:", "a line break in a name never starts a line of its own");
        mail.TextBody.Where(c => c is not ('\r' or '\n') && (char.IsControl(c) || c == '\u202e')).Should().BeEmpty();
        mail.Bcc.Count.Should().Be(0);
    }
}
