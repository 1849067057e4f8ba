using Microsoft.AspNetCore.Components;
using MudBlazor;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Invitations;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Web.Components.Invitations;
using MultiOrg.Web.Components.Layout;

namespace MultiOrg.Web.Components.Members;

/// <summary>Members of the current organization: server-side paging, sorting and search; invite, import, add, change role, remove, leave.</summary>
public sealed partial class MembersPage
{
    private static readonly OrganizationRole[] Roles = [OrganizationRole.Owner, OrganizationRole.Admin, OrganizationRole.Member];

    private MudDataGrid<MemberView>? grid;
    private PendingInvitations? invitationsPanel;
    private int tab;
    private int pendingInvitations;
    private int pendingRequests;
    private string search = "";
    private int total;

    [Parameter]
    public Guid OrgId { get; set; }

    [Inject]
    private TenantContext Tenant { get; set; } = default!;

    [Inject]
    private MemberService Members { get; set; } = default!;

    [Inject]
    private UserOrganizations Organizations { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    private bool Can(Permission permission) => Tenant.Role?.Allows(permission) == true;

    /// <summary>Mirrors the service: owners and admins remove members, only owners remove owners, yourself means "Leave".</summary>
    private bool CanRemove(MemberView member) =>
        member.UserId != Tenant.UserId
        && Can(Permission.RemoveMembers)
        && (member.Role != OrganizationRole.Owner || Tenant.Role == OrganizationRole.Owner);

    private async Task<GridData<MemberView>> LoadAsync(GridState<MemberView> state, CancellationToken ct)
    {
        var sort = state.SortDefinitions.FirstOrDefault();
        var query = new MemberQuery(
            search,
            sort?.SortBy switch
            {
                nameof(MemberView.Name) => MemberSort.Name,
                nameof(MemberView.Role) => MemberSort.Role,
                nameof(MemberView.JoinedAt) => MemberSort.JoinedAt,
                _ => MemberSort.Email,
            },
            sort?.Descending ?? false,
            state.Page + 1,
            state.PageSize);
        var page = await Members.ListAsync(query, ct);
        if (total != page.Total)
        {
            total = page.Total;
            StateHasChanged();
        }

        return new GridData<MemberView> { Items = page.Items, TotalItems = page.Total };
    }

    private async Task SearchAsync(string? value)
    {
        search = value ?? "";
        await ReloadAsync();
    }

    private Task ReloadAsync() => grid?.ReloadServerData() ?? Task.CompletedTask;

    private async Task AddAsync()
    {
        var parameters = new DialogParameters<AddMemberDialog> { { d => d.CanChooseRole, Can(Permission.ChangeMemberRoles) } };
        var dialog = await Dialogs.ShowAsync<AddMemberDialog>("Add member", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var result = await dialog.Result;
        if (result is { Canceled: false, Data: MemberView added })
        {
            Snackbar.Add($"{added.Name} was added as {added.Role.ToApiName()}.", Severity.Success);
            await ReloadAsync();
        }
    }

    private async Task InviteAsync()
    {
        var parameters = new DialogParameters<InviteDialog> { { d => d.CanChooseRole, Can(Permission.ChangeMemberRoles) } };
        var dialog = await Dialogs.ShowAsync<InviteDialog>("Invite people", parameters, new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true });
        await AfterInvitingAsync(await dialog.Result);
    }

    private async Task ImportAsync()
    {
        var dialog = await Dialogs.ShowAsync<ImportMembersDialog>("Import members", new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true });
        await AfterInvitingAsync(await dialog.Result);
    }

    private async Task AfterInvitingAsync(DialogResult? result)
    {
        if (result is { Canceled: false, Data: InviteResult { Invited: > 0 } done })
        {
            Snackbar.Add(done.Invited == 1 ? "1 invitation was sent." : $"{done.Invited:N0} invitations were sent.", Severity.Success);
            tab = 1;
        }

        if (invitationsPanel is not null)
        {
            await invitationsPanel.ReloadAsync();
        }
    }

    private async Task ChangeRoleAsync(MemberView member, OrganizationRole role)
    {
        if (role == member.Role)
        {
            return;
        }

        if (member.UserId == Tenant.UserId && member.Role == OrganizationRole.Owner)
        {
            var confirmed = await Dialogs.ShowMessageBoxAsync(
                "Give up ownership?",
                $"You will become {role.ToApiName()} and can no longer change roles or delete the organization.",
                yesText: "Change my role",
                cancelText: "Cancel");
            if (confirmed != true)
            {
                await ReloadAsync();
                return;
            }
        }

        await RunAsync(async () =>
        {
            var changed = await Members.ChangeRoleAsync(member.UserId, role);
            Snackbar.Add($"{changed.Name} is now {changed.Role.ToApiName()}.", Severity.Success);
        });
        await ReloadAsync();
    }

    private async Task RemoveAsync(MemberView member)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Remove member?",
            $"{member.Name} ({member.Email}) loses access to {Tenant.OrganizationName} at once.",
            yesText: "Remove",
            cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        await RunAsync(async () =>
        {
            await Members.RemoveAsync(member.UserId);
            Snackbar.Add($"{member.Name} was removed.", Severity.Success);
        });
        await ReloadAsync();
    }

    private async Task LeaveAsync()
    {
        var name = Tenant.OrganizationName;
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            $"Leave {name}?",
            "You lose access at once. An owner must add you again to come back.",
            yesText: "Leave",
            cancelText: "Stay");
        if (confirmed != true)
        {
            return;
        }

        await RunAsync(async () =>
        {
            await Members.LeaveAsync();
            await Organizations.RefreshAsync();
            Snackbar.Add($"You left {name}.", Severity.Success);
            Navigation.NavigateTo("/");
        });
    }

    private async Task RunAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (DomainException error)
        {
            Snackbar.Add(error.Message, Severity.Error);
        }
    }

    private static string RoleName(OrganizationRole role) => role.ToApiName();

    private static string Initial(string name) => string.IsNullOrEmpty(name) ? "?" : char.ToUpperInvariant(name[0]).ToString();

    private static Color RoleColor(OrganizationRole role) => role switch
    {
        OrganizationRole.Owner => Color.Primary,
        OrganizationRole.Admin => Color.Secondary,
        _ => Color.Default,
    };
}
