using MultiOrg.Domain.Invitations;
using MultiOrg.Domain.Joining;
using MultiOrg.Domain.Users;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Support;

/// <summary>Read-only means no writes, never no reads: support sees what admins see, every form of it read-only.</summary>
public sealed class ReadOnlyImpersonationTests : IDisposable
{
    private const string Reason = "Ticket 4712: the owner cannot find the pending invitation";

    private readonly TestWorld world = new();

    public void Dispose() => world.Dispose();

    private async Task<(InvitationWorld Owner, Actor Sid, InvitationWorld Support)> ImpersonatedAsync(bool writeEnabled = false)
    {
        var (owner, organizationId) = await world.OrganizationAsync("Acme Corp");
        var invitations = new InvitationWorld(world, owner);
        await invitations.Invitations.InviteAsync([new InviteRow(1, "newcomer@example.test")]);
        var sid = await world.CreateUserAsync(writeEnabled ? "Ada" : "Sid");
        await world.GrantAsync(sid, writeEnabled ? GlobalRole.SystemAdmin : GlobalRole.Support);
        await sid.Support.StartImpersonationAsync(writeEnabled
            ? new(organizationId, Reason, WriteEnabled: true, WriteReason: "The owner asked us to resend it")
            : new(organizationId, Reason));
        return (invitations, sid, new InvitationWorld(world, sid));
    }

    [Fact]
    public async Task Read_only_impersonation_reads_the_members_page_pending_invitations_and_join_requests()
    {
        var (_, sid, support) = await ImpersonatedAsync();

        // Each of these refused on the old code (their permission is a change one), which made the members page a 500.
        (await support.Invitations.ListPendingAsync()).Should().ContainSingle().Which.Email.Should().Be("newcomer@example.test");
        (await support.Joining.ListRequestsAsync()).Should().BeEmpty();
        (await sid.Get<MultiOrg.Domain.Text.UnsafeNames>().ForCurrentOrganizationAsync()).Should().BeEmpty();
        (await sid.Members.ListAsync(new())).Total.Should().Be(1);
        (await sid.Dashboard.GetAsync()).Should().NotBeNull();
    }

    [Fact]
    public async Task Read_only_impersonation_is_still_refused_the_writes_beside_those_reads()
    {
        var (owner, _, support) = await ImpersonatedAsync();
        var invitation = (await owner.Invitations.ListPendingAsync()).Single();

        await FluentActions.Awaiting(() => support.Invitations.ResendAsync(invitation.Id)).Should().ThrowAsync<MultiOrg.Domain.Errors.DomainException>()
            .WithMessage(MultiOrg.Domain.Errors.DomainMessages.ReadOnlyImpersonation);
        await FluentActions.Awaiting(() => support.Invitations.RevokeAsync(invitation.Id)).Should().ThrowAsync<MultiOrg.Domain.Errors.DomainException>()
            .WithMessage(MultiOrg.Domain.Errors.DomainMessages.ReadOnlyImpersonation);
    }

    [Fact]
    public async Task Read_only_impersonation_is_shown_every_settings_form_read_only()
    {
        var (_, sid, support) = await ImpersonatedAsync();

        // The services say "can edit" for the pages: read-only support is ADMIN by role, and must get the forms read-only.
        (await sid.Security.GetAsync()).Should().Match<MultiOrg.Domain.Security.SecurityPolicyView>(v => !v.CanEdit && !v.CanChangeRetention);
        (await sid.Profile.GetAsync()).CanEdit.Should().BeFalse();
        (await sid.Branding.GetAsync()).CanEdit.Should().BeFalse();
        (await support.Joining.GetAsync()).CanEdit.Should().BeFalse();
        (await sid.Get<MultiOrg.Domain.SingleSignOn.SingleSignOnService>().GetAsync()).CanEdit.Should().BeFalse();
        (await sid.Get<MultiOrg.Domain.SingleSignOn.SamlSettingsService>().GetAsync()).CanEdit.Should().BeFalse();
        var teams = await sid.Teams.GetStructureAsync();
        teams.CanManageDepartments.Should().BeFalse();
        teams.CanCreateTopLevelTeams.Should().BeFalse();
    }

    [Fact]
    public async Task Write_enabled_impersonation_keeps_the_forms_an_admin_may_change_and_none_no_impersonation_may()
    {
        var (_, ada, support) = await ImpersonatedAsync(writeEnabled: true);

        (await ada.Profile.GetAsync()).CanEdit.Should().BeTrue();
        (await ada.Branding.GetAsync()).CanEdit.Should().BeTrue();
        (await support.Joining.GetAsync()).CanEdit.Should().BeTrue();
        (await ada.Teams.GetStructureAsync()).CanManageDepartments.Should().BeTrue();

        // Support never loosens who may reach the organization, even write-enabled.
        (await ada.Security.GetAsync()).CanEdit.Should().BeFalse();
        (await ada.Get<MultiOrg.Domain.SingleSignOn.SingleSignOnService>().GetAsync()).CanEdit.Should().BeFalse();
    }
}
