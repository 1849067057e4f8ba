using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MultiOrg.Data;
using MultiOrg.Domain.Invitations;
using MultiOrg.Domain.Joining;
using MultiOrg.Web.Email;
using MultiOrg.Web.Features.Invitations;

namespace MultiOrg.Tests.Harness;

/// <summary>
/// One actor's invitation and joining services over the test world's database, sending real mail (MimeKit .eml files)
/// into a <see cref="Mailbox"/> pickup folder, on a clock the test can move.
/// </summary>
public sealed class InvitationWorld
{
    public const string BaseUrl = "https://multiorg.test/";

    /// <param name="smtp">An SMTP server to send through instead of the pickup folder (one that refuses, say).</param>
    public InvitationWorld(TestWorld world, Actor actor, Mailbox? mailbox = null, TestClock? clock = null, int expiryDays = 7, SmtpOptions? smtp = null)
    {
        Mailbox = mailbox ?? new Mailbox();
        Clock = clock ?? new TestClock();
        var email = Options.Create(new EmailOptions { PickupDirectory = Mailbox.Directory, Smtp = smtp ?? new SmtpOptions() });
        var mail = new MailSender(email, new HostingEnvironment { ContentRootPath = Mailbox.Directory }, NullLogger<MailSender>.Instance);
        var links = new AppLinks(Options.Create(new MultiOrg.Web.Hosting.AppOptions { PublicBaseUrl = BaseUrl }));
        Invitations = actor.Create<InvitationService>(new InvitationMailer(mail, links, TestOutbox.Over(world.Database, mail, Clock)), Clock, Options.Create(new InvitationOptions { ExpiryDays = expiryDays }));
        Inbox = actor.Create<InvitationInbox>(Clock);
        Joining = actor.Create<JoinPolicyService>(Clock);
        AutoJoin = actor.Get<DomainAutoJoin>();
    }

    public Mailbox Mailbox { get; }

    public TestClock Clock { get; }

    public InvitationService Invitations { get; }

    public InvitationInbox Inbox { get; }

    public JoinPolicyService Joining { get; }

    public DomainAutoJoin AutoJoin { get; }
}

/// <summary>The system clock, moved forward on request (to see an invitation expire).</summary>
public sealed class TestClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}
