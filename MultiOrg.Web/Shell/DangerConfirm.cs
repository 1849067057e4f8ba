using MudBlazor;

namespace MultiOrg.Web.Shell;

/// <summary>Asks before a destructive action with <see cref="DangerConfirmDialog"/>; true only on an explicit yes.</summary>
public static class DangerConfirm
{
    public static async Task<bool> ConfirmDangerAsync(this IDialogService dialogs, string title, string consequence, string confirmText, string cancelText = "Cancel")
    {
        var parameters = new DialogParameters<DangerConfirmDialog>
        {
            { d => d.Title, title },
            { d => d.Consequence, consequence },
            { d => d.ConfirmText, confirmText },
            { d => d.CancelText, cancelText },
        };
        var dialog = await dialogs.ShowAsync<DangerConfirmDialog>(title, parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var result = await dialog.Result;
        return result is { Canceled: false };
    }
}
