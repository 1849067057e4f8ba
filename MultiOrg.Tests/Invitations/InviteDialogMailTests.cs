using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MultiOrg.Tests.Harness;
using MultiOrg.Web.Email;
using MultiOrg.Web.Features.Invitations;

namespace MultiOrg.Tests.Invitations;

/// <summary>
/// The invite dialog over the real invitation service and a real SMTP server: it tells the inviter whether the mail went
/// out or waits in the outbox, and never shows an unhandled error for invitations that are saved.
/// </summary>
[Trait(TestDatabase.Trait, TestDatabase.Independent)]
public sealed class InviteDialogMailTests : ComponentTestBase
{
    private readonly TestWorld world = new();
    private readonly RefusingSmtp smtp = new();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        smtp.Dispose();
        world.Dispose();
    }

    [Fact]
    public async Task Inviting_while_the_smtp_server_refuses_says_the_invitation_is_saved_and_queued_to_retry()
    {
        var owner = await world.CreateUserAsync("Olivia");
        await owner.Organizations.CreateAsync("Acme");
        using var mailbox = new Mailbox();
        var invitations = new InvitationWorld(world, owner, mailbox,
            smtp: new SmtpOptions { Host = "127.0.0.1", Port = smtp.Port, Security = MailKit.Security.SecureSocketOptions.None });
        Context.Services.AddSingleton(invitations.Invitations);
        RenderProviders();
        var dialogs = Context.Services.GetRequiredService<IDialogService>();
        await Dialogs.InvokeAsync(() => dialogs.ShowAsync<InviteDialog>("Invite people"));

        Dialogs.Find("textarea[data-testid='invite-emails']").Input("ivy@example.test");
        Dialogs.Find("[data-testid='invite-submit']").Click();

        Dialogs.WaitForAssertion(() => Squash(Dialogs.Find("[data-testid='invite-dialog']").TextContent)
            .Should().Contain("queued").And.Contain("will retry"), Loaded);
        (await invitations.Invitations.ListPendingAsync()).Select(i => i.Email).Should().Equal(["ivy@example.test"], "the invitation is saved");
    }
}
