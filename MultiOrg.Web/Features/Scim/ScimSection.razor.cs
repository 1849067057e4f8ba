using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Scim;
using MultiOrg.Web.Email;
using MultiOrg.Web.Shell;

namespace MultiOrg.Web.Features.Scim;

/// <summary>The organization's SCIM tokens, on the Security page (OWNER only): create (shown once), list, revoke.</summary>
public sealed partial class ScimSection
{
    private IReadOnlyList<ScimTokenView>? tokens;
    private string? loadError;

    [Parameter]
    [EditorRequired]
    public Guid OrgId { get; set; }

    [Inject]
    private ScimTokenService Tokens { get; set; } = default!;

    [Inject]
    private AppLinks Links { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    /// <summary>What the identity provider is given: built from the configured public address, like every link that leaves the app.</summary>
    private string BaseUrl => Links.To($"scim/v2/{OrgId}");

    protected override async Task OnInitializedAsync() => await LoadAsync();

    private async Task LoadAsync()
    {
        try
        {
            tokens = await Tokens.ListAsync();
        }
        catch (DomainException error)
        {
            loadError = error.Message;
        }
    }

    private async Task CreateAsync()
    {
        var dialog = await Dialogs.ShowAsync<CreateScimTokenDialog>(
            "Create SCIM token", new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, BackdropClick = false });
        await dialog.Result;
        await LoadAsync();
    }

    private async Task RevokeAsync(ScimTokenView token)
    {
        var confirmed = await Dialogs.ConfirmDangerAsync(
            "Revoke SCIM token?",
            $"Your identity provider stops syncing through “{token.Name}” ({token.Prefix}…) at once; members stay as they are. This cannot be undone.",
            "Revoke token");
        if (!confirmed)
        {
            return;
        }

        await Snackbar.RunAsync(async () =>
        {
            await Tokens.RevokeAsync(token.Id);
            Snackbar.Add($"{token.Name} was revoked.", Severity.Success);
            await LoadAsync();
        });
    }

    private async Task CopyBaseUrlAsync()
    {
        await JS.InvokeVoidAsync("navigator.clipboard.writeText", BaseUrl);
        Snackbar.Add("SCIM base URL copied.", Severity.Success);
    }
}
