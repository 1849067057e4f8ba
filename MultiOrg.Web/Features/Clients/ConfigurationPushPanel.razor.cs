using Microsoft.AspNetCore.Components;
using MudBlazor;
using MultiOrg.Domain.Clients;
using MultiOrg.Domain.Errors;
using MultiOrg.Web.Shell;

namespace MultiOrg.Web.Features.Clients;

/// <summary>
/// Pick items of the partner's configuration and target clients, preview per client, confirm, and apply in the
/// background with progress (N of M clients) and each client's outcome.
/// </summary>
public sealed partial class ConfigurationPushPanel
{
    private IReadOnlyList<ConfigurationItem>? items;
    private IReadOnlyList<ClientView> clients = [];
    private HashSet<ConfigurationItem> selected = [];
    private readonly HashSet<ItemRef> overwrite = [];
    private IReadOnlyCollection<Guid> chosenClients = [];
    private bool allClients = true;
    private string itemSearch = "";
    private string? itemError;
    private string? targetError;
    private bool busy;
    private bool running;
    private IReadOnlyList<ClientPlan>? plans;
    private PushProgress? progress;
    private PushReport? report;

    [Parameter]
    public EventCallback Pushed { get; set; }

    [Inject]
    private ConfigurationPushService Push { get; set; } = default!;

    [Inject]
    private ClientOnboardingService Onboarding { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        if (!await Snackbar.RunAsync(async () =>
            {
                items = await Push.ListPartnerItemsAsync();
                clients = await Onboarding.ListClientsAsync();
            }))
        {
            items = [];
        }
    }

    private bool Matches(ConfigurationItem item) =>
        string.IsNullOrWhiteSpace(itemSearch)
        || item.Key.Contains(itemSearch, StringComparison.OrdinalIgnoreCase)
        || item.Value.Contains(itemSearch, StringComparison.OrdinalIgnoreCase)
        || ClientDriftDialog.KindName(item.Kind).Contains(itemSearch, StringComparison.OrdinalIgnoreCase);

    private void SetOverwrite(ConfigurationItem item, bool on)
    {
        if (on)
        {
            overwrite.Add(item.Ref);
        }
        else
        {
            overwrite.Remove(item.Ref);
        }

        plans = null;
    }

    private void TargetsChanged(bool all)
    {
        allClients = all;
        plans = null;
    }

    private string ClientName(Guid id) => clients.FirstOrDefault(c => c.Id == id)?.Name ?? "";

    private int Count(PushAction action) => plans?.Sum(p => p.Count(action)) ?? 0;

    private PushRequest Request()
    {
        var refs = selected.Select(s => s.Ref).ToList();
        return new PushRequest(refs, [.. overwrite.Where(refs.Contains)], allClients ? null : [.. chosenClients]);
    }

    private async Task PreviewAsync()
    {
        itemError = selected.Count == 0 ? "Items: choose at least one item to push." : null;
        targetError = !allClients && chosenClients.Count == 0 ? "Clients: choose at least one client, or all clients." : null;
        report = null;
        progress = null;
        if (itemError is not null || targetError is not null)
        {
            return;
        }

        busy = true;
        try
        {
            plans = await Push.PreviewAsync(Request());
        }
        catch (DomainException refused)
        {
            itemError = refused.Message;
        }
        finally
        {
            busy = false;
        }
    }

    private async Task ApplyAsync()
    {
        if (plans is null)
        {
            return;
        }

        var changing = plans.Count(p => p.Changes);
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Push configuration?",
            $"{selected.Count} {(selected.Count == 1 ? "item goes" : "items go")} to {changing} {(changing == 1 ? "client" : "clients")}, each in its own transaction. " +
            $"{Count(PushAction.Conflict)} conflicting local changes are kept; {Count(PushAction.Update)} are overwritten.",
            yesText: "Push",
            cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        var request = Request();
        running = true;
        progress = new PushProgress(0, plans.Count, null);
        var reporter = new CircuitProgress(this);

        // Off the circuit's render loop, so the page stays responsive and repaints the bar as clients finish.
        var work = Task.Run(() => Push.ApplyAsync(request, reporter));
        try
        {
            await Snackbar.RunAsync(async () =>
            {
                report = await work;
                Snackbar.Add($"Push finished: {report.Count(PushOutcome.Changed)} changed, {report.Count(PushOutcome.Failed)} failed.",
                    report.Count(PushOutcome.Failed) > 0 ? Severity.Warning : Severity.Success);
                await Pushed.InvokeAsync();
            });
        }
        finally
        {
            running = false;
            plans = null;
        }
    }

    /// <summary>Carries progress from the background push back onto the circuit's dispatcher.</summary>
    private sealed class CircuitProgress(ConfigurationPushPanel panel) : IProgress<PushProgress>
    {
        public void Report(PushProgress value) => _ = panel.InvokeAsync(() =>
        {
            panel.progress = value;
            panel.StateHasChanged();
        });
    }
}
