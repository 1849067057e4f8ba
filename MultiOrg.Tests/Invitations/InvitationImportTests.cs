using System.Diagnostics;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Invitations;
using MultiOrg.Domain.Organizations;
using Xunit.Abstractions;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Invitations;

/// <summary>CSV import: a preview row by row, then apply; bad rows are reported and never stop the good ones.</summary>
public sealed class InvitationImportTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TestWorld world = new();
    private readonly Mailbox mailbox = new();
    private Actor owner = null!;
    private InvitationWorld owners = null!;

    public async Task InitializeAsync()
    {
        owner = await world.CreateUserAsync("Olivia");
        await owner.Organizations.CreateAsync("Acme");
        owners = new InvitationWorld(world, owner, mailbox);
    }

    public Task DisposeAsync()
    {
        mailbox.Dispose();
        world.Dispose();
        return Task.CompletedTask;
    }

    private static IReadOnlyList<InviteRow> Read(string csv) => InvitationCsv.Read(new StringReader(csv), 20_000);

    [Fact]
    public async Task Preview_then_apply_reports_every_row_and_invites_only_the_good_ones()
    {
        var member = await world.CreateUserAsync("Mia", "mia@acme.example");
        await owner.Members.AddByEmailAsync(member.Email);
        await owners.Invitations.InviteAsync([new InviteRow(1, "pending@acme.example")]);
        var csv = """
            Email,Role,Name
            ana@acme.example,admin,Ana Lima
            not-an-email,MEMBER,
            MIA@acme.example,MEMBER,Mia
            pending@acme.example,,
            ben@acme.example,CHIEF,Ben
            ana@ACME.example,MEMBER,Ana again
            ,MEMBER,Nobody
            "cleo@acme.example",,"Cleo, the second"
            """;

        var rows = Read(csv);
        var preview = await owners.Invitations.PreviewAsync(rows);

        preview.Applied.Should().BeFalse();
        preview.Rows.Select(r => (r.Line, r.Outcome)).Should().Equal(
            (2, InviteOutcome.Invite), (3, InviteOutcome.InvalidEmail), (4, InviteOutcome.AlreadyMember), (5, InviteOutcome.AlreadyInvited),
            (6, InviteOutcome.UnknownRole), (7, InviteOutcome.DuplicateInFile), (8, InviteOutcome.InvalidEmail), (9, InviteOutcome.Invite));
        preview.Rows[0].Role.Should().Be(OrganizationRole.Admin);
        preview.Rows[4].Message.Should().Contain("CHIEF").And.Contain("Role");
        preview.Rows[5].Message.Should().Contain("line 2");
        preview.Rows[6].Message.Should().Be("Email is required.");
        preview.Rows[7].Name.Should().Be("Cleo, the second");
        (await owners.Invitations.ListPendingAsync()).Should().ContainSingle("a preview writes nothing");
        mailbox.Messages().Should().ContainSingle();

        var applied = await owners.Invitations.InviteAsync(rows, "csv");

        applied.Applied.Should().BeTrue();
        applied.Rows.Select(r => r.Outcome).Should().Equal(preview.Rows.Select(r => r.Outcome));
        (await owners.Invitations.ListPendingAsync()).Select(i => i.Email).Should().BeEquivalentTo("ana@acme.example", "cleo@acme.example", "pending@acme.example");
        mailbox.To("ana@acme.example").Should().ContainSingle();
        mailbox.To("cleo@acme.example").Should().ContainSingle().Which.To.Mailboxes.Single().Name.Should().Be("Cleo, the second");

        var again = await owners.Invitations.PreviewAsync(rows);
        again.Rows.Count(r => r.Outcome == InviteOutcome.AlreadyInvited).Should().Be(3);
    }

    [Fact]
    public void A_file_without_an_email_column_is_refused_naming_the_file()
    {
        var read = () => Read("mail,role\nana@acme.example,MEMBER\n");
        var error = read.Should().Throw<DomainException>().Which;
        error.Field.Should().Be("file");
        error.Message.Should().Contain("email");

        var empty = () => Read("");
        empty.Should().Throw<DomainException>().Which.Field.Should().Be("file");
        var tooMany = () => InvitationCsv.Read(new StringReader("email\na@a.example\nb@a.example\nc@a.example\n"), 2);
        tooMany.Should().Throw<DomainException>().Which.Message.Should().Contain("more than 2");
    }

    [Fact]
    public async Task A_name_with_line_breaks_controls_or_invisible_characters_is_an_invalid_name_row_and_is_not_invited()
    {
        var rows = new List<InviteRow>
        {
            new(2, "crlf@acme.example", "MEMBER", "Line1\r\nBcc: evil@x"),
            new(3, "nul@acme.example", "MEMBER", "Nul\0Name"),
            new(4, "bell@acme.example", "MEMBER", "Bell\aName"),
            new(5, "rlo@acme.example", "MEMBER", "Bob\u202egnp.exe"),
            new(6, "zwsp@acme.example", "MEMBER", "Olivia Owner\u200b x"),
            new(7, "fine@acme.example", "MEMBER", "Zoe\u0301 Family \U0001F468\u200D\U0001F469"),
        };

        var preview = await owners.Invitations.PreviewAsync(rows);
        var applied = await owners.Invitations.InviteAsync(rows);

        preview.Rows.Select(r => r.Outcome).Should().Equal(
            InviteOutcome.InvalidName, InviteOutcome.InvalidName, InviteOutcome.InvalidName, InviteOutcome.InvalidName, InviteOutcome.InvalidName,
            InviteOutcome.Invite);
        preview.Rows[0].Message.Should().Be("Name must not contain control, text-direction or invisible characters (found U+000D).");
        preview.Rows[3].Message.Should().Contain("U+202E");
        preview.Rows[4].Message.Should().Contain("U+200B");
        preview.Rows[5].Name.Should().Be("Zo\u00e9 Family \U0001F468\u200D\U0001F469", "a name is kept composed (NFC); a joiner inside an emoji is part of it");
        applied.Rows.Select(r => r.Outcome).Should().Equal(preview.Rows.Select(r => r.Outcome));
        (await owners.Invitations.ListPendingAsync()).Select(i => i.Email).Should().Equal("fine@acme.example");
        mailbox.Messages().Should().ContainSingle().Which.To.Mailboxes.Single().Address.Should().Be("fine@acme.example");
    }

    [Fact]
    public async Task Two_thousand_rows_with_bad_ones_among_them_import_in_one_audited_batch()
    {
        var csv = new StringBuilder("email,role,name\n");
        for (var i = 1; i <= 2000; i++)
        {
            csv.AppendLine(i % 10 == 0 ? $"broken-{i}" : i % 25 == 1 ? $"person{i}@acme.example,WIZARD," : $"person{i}@acme.example,MEMBER,Person {i}");
        }

        await owner.Billing.ChangePlanAsync("business", 1_800);
        var watch = Stopwatch.StartNew();
        await owners.Invitations.PreviewAsync(Read(csv.ToString()));
        output.WriteLine($"preview in {watch.ElapsedMilliseconds} ms");
        watch.Restart();
        var result = await owners.Invitations.InviteAsync(Read(csv.ToString()), "csv");
        output.WriteLine($"2,000 rows imported in {watch.ElapsedMilliseconds} ms");

        result.Rows.Should().HaveCount(2000);
        result.Rows.Count(r => r.Outcome == InviteOutcome.InvalidEmail).Should().Be(200);
        result.Rows.Count(r => r.Outcome == InviteOutcome.UnknownRole).Should().Be(80);
        result.Invited.Should().Be(1720);
        mailbox.Messages().Should().HaveCount(1720);

        await using var db = world.Database.CreateContext(owner.Tenant);
        (await db.Set<Invitation>().CountAsync()).Should().Be(1720);
        var batch = await db.AuditEntries.Where(a => a.Action == "Invitation.batchCreated").ToListAsync();
        batch.Should().ContainSingle().Which.Changes.Should().Contain("\"invited\":1720").And.Contain("\"source\":\"csv\"");
        (await db.AuditEntries.CountAsync(a => a.Action == "Invitation.created")).Should().Be(0, "the batch is one entry, not 1,720");
    }

    [Fact]
    public async Task Rows_past_the_free_seats_are_reported_and_the_rest_are_invited_holding_their_seats()
    {
        var csv = new StringBuilder("email,role\n");
        for (var i = 1; i <= 6; i++)
        {
            csv.AppendLine($"person{i}@acme.example,MEMBER");
        }

        var result = await owners.Invitations.InviteAsync(Read(csv.ToString()), "csv");

        result.Rows.Select(r => r.Outcome).Should().Equal(
            InviteOutcome.Invite, InviteOutcome.Invite, InviteOutcome.Invite, InviteOutcome.Invite, InviteOutcome.SeatLimit, InviteOutcome.SeatLimit);
        result.Rows[^1].Message.Should().Be("Seat limit reached (5 of 5 seats used). Add seats or change plan.");
        var latecomer = await world.CreateUserAsync("Late");
        var refusal = await owner.Invoking(o => o.Members.AddByEmailAsync(latecomer.Email)).Should().ThrowAsync<MultiOrg.Domain.Errors.DomainException>();
        refusal.Which.Message.Should().Be("Seat limit reached (5 of 5 seats used). Add seats or change plan.", "the four open invitations hold their seats");
        (await owner.Billing.GetSummaryAsync()).SeatsUsed.Should().Be(5, "billing counts the same seats the check does");
    }
}
