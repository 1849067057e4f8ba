using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Invitations;
using MultiOrg.Domain.Organizations;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Invitations;

/// <summary>Invitations end to end in the domain: the mail in the pickup folder, its token, accepting, declining, revoking.</summary>
public sealed class InvitationTests : IAsyncLifetime
{
    private readonly TestWorld world = new();
    private readonly Mailbox mailbox = new();
    private readonly TestClock clock = new();
    private Actor owner = null!;
    private InvitationWorld owners = null!;
    private Guid organizationId;

    public async Task InitializeAsync()
    {
        owner = await world.CreateUserAsync("Olivia");
        organizationId = (await owner.Organizations.CreateAsync("Acme")).Id;
        owners = new InvitationWorld(world, owner, mailbox, clock);
    }

    public Task DisposeAsync()
    {
        mailbox.Dispose();
        world.Dispose();
        return Task.CompletedTask;
    }

    private Task<InviteResult> InviteAsync(string email, string role = "MEMBER") => owners.Invitations.InviteAsync([new InviteRow(1, email, role)]);

    private async Task<(Actor Person, InvitationWorld Services)> PersonAsync(string name, string email, bool confirmed = true)
    {
        var person = await world.CreateUserAsync(name, email, confirmed);
        return (person, new InvitationWorld(world, person, mailbox, clock));
    }

    [Fact]
    public async Task The_pickup_folder_holds_the_mail_and_its_link_joins_with_the_invited_role()
    {
        await InviteAsync("ana@acme.example", "ADMIN");

        var mail = mailbox.To("ana@acme.example").Should().ContainSingle().Subject;
        mail.Subject.Should().Be("Olivia invited you to Acme on MultiOrg");
        mail.HtmlBody.Should().Contain("Accept the invitation");
        var link = mailbox.LinkTo("ana@acme.example");
        link.Should().StartWith($"{InvitationWorld.BaseUrl}Account/Invitation?token=");

        var (ana, anas) = await PersonAsync("Ana", "ana@acme.example");
        var preview = await anas.Inbox.FindByTokenAsync(mailbox.InvitationTokenFor("ana@acme.example"));
        preview!.OrganizationName.Should().Be("Acme");
        preview.Role.Should().Be(OrganizationRole.Admin);
        preview.IsOpen.Should().BeTrue();

        await anas.Inbox.AcceptTokenAsync(mailbox.InvitationTokenFor("ana@acme.example"));

        var mine = await ana.Organizations.ListMineAsync();
        mine.Should().ContainSingle(o => o.Id == organizationId).Which.Role.Should().Be(OrganizationRole.Admin);
        (await owners.Invitations.ListPendingAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task A_token_works_once_and_only_its_hash_is_stored()
    {
        await InviteAsync("ben@acme.example");
        var token = mailbox.InvitationTokenFor("ben@acme.example");
        var (_, bens) = await PersonAsync("Ben", "ben@acme.example");

        await using (var db = world.Database.CreateContext(owner.Tenant))
        {
            var stored = await db.Set<Invitation>().SingleAsync();
            stored.TokenHash.Should().Equal(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));
            var sql = TestDatabase.Kind == MultiOrg.Data.DatabaseProvider.PostgreSql
                ? "SELECT encode(\"TokenHash\", 'hex') || \"Email\" || CAST(\"Id\" AS TEXT) AS \"Value\" FROM \"Invitations\""
                : "SELECT quote(TokenHash) || Email || Id AS Value FROM Invitations";
            var row = string.Join("|", db.Database.SqlQueryRaw<string>(sql).ToList());
            row.Should().NotContain(token);
            var audit = string.Join("|", await db.AuditEntries.Select(a => a.Changes).ToListAsync());
            audit.Should().NotContain(token).And.Contain("ben@acme.example");
        }

        await bens.Inbox.AcceptTokenAsync(token);
        var again = () => bens.Inbox.AcceptTokenAsync(token);

        (await again.Should().ThrowAsync<DomainException>()).Which.Kind.Should().Be(DomainErrorKind.Conflict);
        (await bens.Inbox.FindByTokenAsync(token))!.Status.Should().Be(InvitationStatus.Accepted);
    }

    [Fact]
    public async Task A_link_expires_after_the_configured_days_and_resending_makes_a_new_one()
    {
        await InviteAsync("cleo@acme.example");
        var first = mailbox.InvitationTokenFor("cleo@acme.example");
        var (cleo, cleos) = await PersonAsync("Cleo", "cleo@acme.example");

        clock.Offset = TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1);
        (await cleos.Inbox.FindByTokenAsync(first))!.IsOpen.Should().BeFalse();
        var late = () => cleos.Inbox.AcceptTokenAsync(first);
        (await late.Should().ThrowAsync<DomainException>()).Which.Message.Should().Be(DomainMessages.InvitationUnusable);
        (await owners.Invitations.ListPendingAsync()).Should().ContainSingle().Which.IsExpired(clock.GetUtcNow().UtcDateTime).Should().BeTrue();

        var pending = (await owners.Invitations.ListPendingAsync()).Single();
        await owners.Invitations.ResendAsync(pending.Id);
        var second = mailbox.InvitationTokenFor("cleo@acme.example");
        second.Should().NotBe(first);
        (await cleos.Inbox.FindByTokenAsync(first)).Should().BeNull("the old link was replaced");

        await cleos.Inbox.AcceptTokenAsync(second);
        (await cleo.Organizations.ListMineAsync()).Should().ContainSingle(o => o.Id == organizationId);
    }

    [Fact]
    public async Task Revoking_stops_the_link()
    {
        await InviteAsync("dan@acme.example");
        var token = mailbox.InvitationTokenFor("dan@acme.example");
        var (dan, dans) = await PersonAsync("Dan", "dan@acme.example");

        await owners.Invitations.RevokeAsync((await owners.Invitations.ListPendingAsync()).Single().Id);

        var accept = () => dans.Inbox.AcceptTokenAsync(token);
        (await accept.Should().ThrowAsync<DomainException>()).Which.Kind.Should().Be(DomainErrorKind.Conflict);
        (await dan.Organizations.ListMineAsync()).Should().BeEmpty();
        (await dans.Inbox.ListMineAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Declining_leaves_the_person_outside_and_closes_the_invitation()
    {
        await InviteAsync("eva@acme.example");
        var (eva, evas) = await PersonAsync("Eva", "eva@acme.example");
        var listed = (await evas.Inbox.ListMineAsync()).Should().ContainSingle().Subject;
        listed.OrganizationName.Should().Be("Acme");

        await evas.Inbox.DeclineAsync(listed.Id);

        (await eva.Organizations.ListMineAsync()).Should().BeEmpty();
        (await evas.Inbox.ListMineAsync()).Should().BeEmpty();
        (await owners.Invitations.ListPendingAsync()).Should().BeEmpty();
        var accept = () => evas.Inbox.AcceptAsync(listed.Id);
        await accept.Should().ThrowAsync<DomainException>();
    }

    [Fact]
    public async Task Only_the_account_with_the_invited_confirmed_email_can_answer()
    {
        await InviteAsync("fay@acme.example");
        var token = mailbox.InvitationTokenFor("fay@acme.example");
        var (_, strangers) = await PersonAsync("Stranger", "stranger@acme.example");
        var (fay, unconfirmed) = await PersonAsync("Fay", "fay@acme.example", confirmed: false);

        var stranger = () => strangers.Inbox.AcceptTokenAsync(token);
        (await stranger.Should().ThrowAsync<DomainException>()).Which.Kind.Should().Be(DomainErrorKind.Forbidden);
        var notConfirmed = () => unconfirmed.Inbox.AcceptTokenAsync(token);
        (await notConfirmed.Should().ThrowAsync<DomainException>()).Which.Kind.Should().Be(DomainErrorKind.Forbidden);
        (await unconfirmed.Inbox.ListMineAsync()).Should().BeEmpty("an unconfirmed address sees no invitations");
        (await fay.Organizations.ListMineAsync()).Should().BeEmpty();
        (await owners.Invitations.ListPendingAsync()).Should().ContainSingle("the invitation is still open for its owner");
    }

    [Fact]
    public async Task Another_organizations_invitation_is_not_found()
    {
        await InviteAsync("gil@acme.example");
        var acmeInvitation = (await owners.Invitations.ListPendingAsync()).Single().Id;
        var other = await world.CreateUserAsync("Oscar");
        await other.Organizations.CreateAsync("Other Corp");
        var others = new InvitationWorld(world, other, mailbox, clock);

        var revoke = () => others.Invitations.RevokeAsync(acmeInvitation);
        var resend = () => others.Invitations.ResendAsync(acmeInvitation);

        (await revoke.Should().ThrowAsync<DomainException>()).Which.Kind.Should().Be(DomainErrorKind.NotFound);
        (await resend.Should().ThrowAsync<DomainException>()).Which.Kind.Should().Be(DomainErrorKind.NotFound);
        (await owners.Invitations.ListPendingAsync()).Should().ContainSingle(i => i.Id == acmeInvitation);
        (await others.Invitations.ListPendingAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Admins_invite_members_but_only_owners_invite_owners_and_admins_and_members_invite_nobody()
    {
        var admin = await world.CreateUserAsync("Adam");
        var member = await world.CreateUserAsync("Mia");
        await owner.Members.AddByEmailAsync(admin.Email, OrganizationRole.Admin);
        await owner.Members.AddByEmailAsync(member.Email);
        await admin.Organizations.EnterAsync(organizationId);
        await member.Organizations.EnterAsync(organizationId);
        var admins = new InvitationWorld(world, admin, mailbox, clock);

        var result = await admins.Invitations.InviteAsync([new InviteRow(1, "x@acme.example", "ADMIN"), new InviteRow(2, "y@acme.example", "MEMBER")]);

        result.Rows.Select(r => r.Outcome).Should().Equal(InviteOutcome.RoleNotAllowed, InviteOutcome.Invite);
        result.Rows[0].Message.Should().Contain("only owners");
        var members = () => new InvitationWorld(world, member, mailbox, clock).Invitations.InviteAsync([new InviteRow(1, "z@acme.example")]);
        (await members.Should().ThrowAsync<DomainException>()).Which.Kind.Should().Be(DomainErrorKind.Forbidden);
    }

    [Fact]
    public async Task Adding_at_once_needs_a_confirmed_email()
    {
        var unconfirmed = await world.CreateUserAsync("Hal", "hal@acme.example", emailConfirmed: false);

        var add = () => owner.Members.AddByEmailAsync(unconfirmed.Email);

        (await add.Should().ThrowAsync<DomainException>()).Which.Message.Should().Be(DomainMessages.EmailNotConfirmed);
    }
}
