using Microsoft.AspNetCore.Components;
using MudBlazor;
using MultiOrg.Domain.Invitations;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Teams;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Web.Features.Invitations;
using MultiOrg.Web.Shell;

namespace MultiOrg.Web.Features.Members;

/// <summary>
/// Members of the current organization: server-side paging, sorting and search; invite, import, add, change role,
/// remove, leave; select many to change their role or remove them; export the filtered list.
/// </summary>
public sealed partial class MembersPage
{
    private static readonly OrganizationRole[] Roles = [OrganizationRole.Owner, OrganizationRole.Admin, OrganizationRole.Member];

    /// <summary>A row stays selected across reloads and role changes: it is the same person.</summary>
    private static readonly IEqualityComparer<MemberView> ByUser =
        EqualityComparer<MemberView>.Create((a, b) => a?.UserId == b?.UserId, m => m.UserId.GetHashCode(StringComparison.Ordinal));

    private MudDataGrid<MemberView>? grid;
    private MudMenu? roleMenu;
    private PendingInvitations? invitationsPanel;
    private int tab;
    private int pendingInvitations;
    private int pendingRequests;
    private string search = "";
    private int total;
    private MemberQuery query = new();
    private HashSet<MemberView> selected = new(ByUser);
    private BulkReport? report;
    private Domain.Teams.TeamStructure? structure;
    private TeamView? teamFilter;
    private Guid? departmentFilter;
    private OrganizationRole? roleFilter;
    private bool dense;
    private string? choosingRoleOf;

    // Each row's role button, and the one focus goes back to once its role list has closed (keyboard users, #27).
    private readonly Dictionary<string, MudButton> roleButtons = [];
    private string? focusRoleOf;
    private Abilities allowed = Abilities.None;

    [Inject]
    private Domain.Teams.TeamService Teams { get; set; } = default!;

    [Parameter]
    public Guid OrgId { get; set; }

    [Inject]
    private TenantContext Tenant { get; set; } = default!;

    [Inject]
    private MemberService Members { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    private async Task<GridData<MemberView>> LoadAsync(GridState<MemberView> state, CancellationToken ct)
    {
        var sort = state.SortDefinitions.FirstOrDefault();
        query = new MemberQuery(
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
            state.PageSize,
            teamFilter?.Id,
            departmentFilter,
            roleFilter);
        var page = await Members.ListAsync(query, ct);
        if (total != page.Total)
        {
            total = page.Total;
            StateHasChanged();
        }

        return new GridData<MemberView> { Items = page.Items, TotalItems = page.Total };
    }

    protected override async Task OnInitializedAsync() => structure = await Teams.GetStructureAsync();

    private Task<IEnumerable<TeamView>> SearchTeamsAsync(string? text, CancellationToken ct) =>
        Task.FromResult((structure?.Teams ?? [])
            .Where(t => string.IsNullOrWhiteSpace(text) || t.Name.Contains(text.Trim(), StringComparison.CurrentCultureIgnoreCase))
            .Take(20));

    private async Task FilterByTeamAsync(TeamView? team)
    {
        teamFilter = team;
        await ReloadAsync();
    }

    private async Task FilterByRoleAsync(OrganizationRole? role)
    {
        roleFilter = role;
        await ReloadAsync();
    }

    private async Task FilterByDepartmentAsync(Guid? departmentId)
    {
        departmentFilter = departmentId;
        await ReloadAsync();
    }

    private async Task SearchAsync(string? value)
    {
        search = value ?? "";
        await ReloadAsync();
    }

    private Task ReloadAsync() => grid?.ReloadServerData() ?? Task.CompletedTask;

    private async Task AddAsync()
    {
        var parameters = new DialogParameters<AddMemberDialog> { { d => d.CanChooseRole, allowed.CanGiveRolesAboveMember } };
        var dialog = await Dialogs.ShowAsync<AddMemberDialog>("Add member", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var result = await dialog.Result;
        if (result is { Canceled: false, Data: MemberView added })
        {
            Snackbar.Add($"{added.Name} was added as {added.Role.ToApiName()}.", Severity.Success);
            if (added.Notice is { } notice)
            {
                Snackbar.Add(notice, Severity.Warning);
            }
            await ReloadAsync();
        }
    }

    private async Task InviteAsync()
    {
        var parameters = new DialogParameters<InviteDialog> { { d => d.CanChooseRole, allowed.CanGiveRolesAboveMember } };
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
            Snackbar.Add(done.MailQueued
                ? $"{done.Invited:N0} invitation(s) saved; the mail is queued, will retry."
                : done.Invited == 1 ? "1 invitation was sent." : $"{done.Invited:N0} invitations were sent.", done.MailQueued ? Severity.Warning : Severity.Success);
            tab = 1;
        }

        if (invitationsPanel is not null)
        {
            await invitationsPanel.ReloadAsync();
        }
    }

    private void RoleChoiceOpenChanged(bool open)
    {
        if (!open)
        {
            focusRoleOf = choosingRoleOf ?? focusRoleOf;
            choosingRoleOf = null;
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (focusRoleOf is { } userId && roleButtons.TryGetValue(userId, out var button))
        {
            focusRoleOf = null;
            await button.FocusAsync();
        }
    }

    private async Task ChangeRoleAsync(MemberView member, OrganizationRole role)
    {
        focusRoleOf = member.UserId;
        choosingRoleOf = null;
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

        Deselect(member);
        await Snackbar.RunAsync(async () =>
        {
            var changed = await Members.ChangeRoleAsync(member.UserId, role);
            Snackbar.Add($"{changed.Name} is now {changed.Role.ToApiName()}.", Severity.Success);
        });
        await ReloadAsync();
    }

    private async Task RemovedAsync(MemberView member)
    {
        Deselect(member);
        await ReloadAsync();
    }

    private async Task BulkChangeRoleAsync(OrganizationRole role)
    {
        // The item's own auto-close waits for this handler, which waits for the dialog: the menu would stay open behind it.
        if (roleMenu is not null)
        {
            await roleMenu.CloseMenuAsync();
        }

        var people = SelectedPeople();
        var warnings = new List<string>();
        if (role != OrganizationRole.Owner && people.Any(p => p.UserId == Tenant.UserId && p.Role == OrganizationRole.Owner))
        {
            warnings.Add($"You are included: you will become {role.ToApiName()} and can no longer change roles or delete the organization.");
        }

        if (role != OrganizationRole.Owner && people.Count(p => p.Role == OrganizationRole.Owner) is var owners and > 0)
        {
            warnings.Add($"{PeopleCount(owners)} selected {(owners == 1 ? "is an OWNER" : "are OWNERs")}: if no OWNER would remain, nothing is changed.");
        }

        var confirmed = await ConfirmAsync(
            $"Change the role of {PeopleCount(people.Count)}?",
            $"{PeopleCount(people.Count)} will become {role.ToApiName()}: {RoleMeaning(role)}",
            people,
            warnings,
            $"Make {PeopleCount(people.Count)} {role.ToApiName()}",
            Color.Primary,
            Icons.Material.Outlined.ManageAccounts);
        if (confirmed)
        {
            await RunBulkAsync(
                () => Members.ChangeRolesAsync(people.Select(p => p.UserId).ToList(), role),
                applied => $"{PeopleCount(applied)} {(applied == 1 ? "is" : "are")} now {role.ToApiName()}.",
                $"already {role.ToApiName()}",
                "not changed");
        }
    }

    private async Task BulkRemoveAsync()
    {
        var people = SelectedPeople();
        var warnings = new List<string>();
        if (people.Any(p => p.UserId == Tenant.UserId))
        {
            warnings.Add("You are selected but will not be removed: use Leave to leave the organization.");
        }

        if (!allowed.CanActOn(OrganizationRole.Owner) && people.Count(p => p.Role == OrganizationRole.Owner) is var owners and > 0)
        {
            warnings.Add($"Only an owner can remove an owner: the {PeopleCount(owners)} with the role OWNER will stay.");
        }

        var confirmed = await ConfirmAsync(
            $"Remove {PeopleCount(people.Count)}?",
            $"{PeopleCount(people.Count)} will lose access to {Tenant.OrganizationName} at once. An owner or admin must add them again to bring them back.",
            people,
            warnings,
            $"Remove {PeopleCount(people.Count)}",
            Color.Error,
            Icons.Material.Outlined.PersonRemove);
        if (confirmed)
        {
            await RunBulkAsync(
                () => Members.RemoveManyAsync(people.Select(p => p.UserId).ToList()),
                applied => $"{PeopleCount(applied)} removed.",
                "unchanged",
                "not removed");
        }
    }

    private List<MemberView> SelectedPeople() =>
        [.. selected.OrderBy(p => p.Name, StringComparer.CurrentCultureIgnoreCase).ThenBy(p => p.Email, StringComparer.OrdinalIgnoreCase)];

    private async Task<bool> ConfirmAsync(
        string title, string message, IReadOnlyList<MemberView> people, IReadOnlyList<string> warnings, string confirmText, Color color, string icon)
    {
        var parameters = new DialogParameters<BulkConfirmDialog>
        {
            { d => d.Title, title },
            { d => d.Message, message },
            { d => d.People, people },
            { d => d.Warnings, warnings },
            { d => d.ConfirmText, confirmText },
            { d => d.Color, color },
            { d => d.Icon, icon },
        };
        var dialog = await Dialogs.ShowAsync<BulkConfirmDialog>(title, parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var result = await dialog.Result;
        return result is { Canceled: false };
    }

    /// <summary>Shows what happened to each person: the applied ones counted, every refusal named.</summary>
    private async Task RunBulkAsync(Func<Task<BulkMemberResult>> action, Func<int, string> appliedText, string unchangedText, string notAppliedText)
    {
        await DomainAction.RunAsync(
            async () =>
            {
                var result = await action();
                var parts = new List<string> { appliedText(result.Applied) };
                var unchanged = result.Outcomes.Count(o => o.Status == BulkMemberStatus.Unchanged);
                if (unchanged > 0)
                {
                    parts.Add($"{PeopleCount(unchanged)} {unchangedText}.");
                }

                if (result.NotApplied > 0)
                {
                    parts.Add($"{PeopleCount(result.NotApplied)} {notAppliedText}:");
                }

                var refusals = result.Outcomes
                    .Where(o => o.Status is BulkMemberStatus.Refused or BulkMemberStatus.NotFound)
                    .Select(o => $"{o.Email ?? o.UserId}: {o.Message}")
                    .ToList();
                report = new BulkReport(result.NotApplied > 0 ? Severity.Warning : Severity.Success, string.Join(" ", parts), refusals);
                selected = new HashSet<MemberView>(ByUser);
            },
            error => report = new BulkReport(Severity.Error, error.Message, []));

        await ReloadAsync();
    }

    private string RowClass(MemberView member, int index) => selected.Contains(member) ? "mo-row-selected" : "";

    private void ClearSelection() => selected = new HashSet<MemberView>(ByUser);

    private void Deselect(MemberView member)
    {
        if (selected.Contains(member))
        {
            selected = new HashSet<MemberView>(selected.Where(m => m.UserId != member.UserId), ByUser);
        }
    }

    private static string RoleName(OrganizationRole role) => role.ToApiName();

    internal static string PeopleCount(int count) => count == 1 ? "1 member" : $"{count:N0} members";

    private static string RoleMeaning(OrganizationRole role) => role switch
    {
        OrganizationRole.Owner => "they get full control, including roles and deletion.",
        OrganizationRole.Admin => "they use the organization's data and manage its settings and members.",
        _ => "they use the organization's data, without managing settings or members.",
    };

    private sealed record BulkReport(Severity Severity, string Summary, IReadOnlyList<string> Refusals);

    private static string Initial(string name) => string.IsNullOrEmpty(name) ? "?" : char.ToUpperInvariant(name[0]).ToString();

    private static Color RoleColor(OrganizationRole role) => role switch
    {
        OrganizationRole.Owner => Color.Primary,
        OrganizationRole.Admin => Color.Secondary,
        _ => Color.Default,
    };
}
