using Microsoft.AspNetCore.Components;
using MudBlazor;
using MultiOrg.Domain.Clients;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Web.Features.Clients;

namespace MultiOrg.Web.Features.Partner;

/// <summary>The partner's clients in one grid (server-side search, sort and paging), the summary strip, drift and the push panel.</summary>
public sealed partial class PartnerDashboardPage
{
    private MudDataGrid<ClientOverview>? grid;
    private PartnerSummary? summary;
    private string search = "";
    private string? error;
    private int tab;

    [Parameter]
    public Guid OrgId { get; set; }

    [Inject]
    private TenantContext Tenant { get; set; } = default!;

    [Inject]
    private PartnerAggregationService Aggregation { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    private async Task<GridData<ClientOverview>> LoadAsync(GridState<ClientOverview> state, CancellationToken ct)
    {
        var sort = state.SortDefinitions.FirstOrDefault();
        var by = sort?.SortBy switch
        {
            nameof(ClientOverview.Members) => ClientSort.Members,
            nameof(ClientOverview.Accounts) => ClientSort.Accounts,
            nameof(ClientOverview.TaxCodes) => ClientSort.TaxCodes,
            nameof(ClientOverview.PaymentTerms) => ClientSort.PaymentTerms,
            nameof(ClientOverview.Workflows) => ClientSort.Workflows,
            nameof(ClientOverview.Onboarding) => ClientSort.Onboarding,
            nameof(ClientOverview.LastActivity) => ClientSort.LastActivity,
            nameof(ClientOverview.Credits) => ClientSort.Credits,
            _ => ClientSort.Name,
        };
        try
        {
            var page = await Aggregation.GetDashboardAsync(new PartnerDashboardQuery(search, by, sort?.Descending ?? false, state.Page + 1, state.PageSize), ct);
            if (summary != page.Summary)
            {
                summary = page.Summary;
                StateHasChanged();
            }

            return new GridData<ClientOverview> { Items = page.Clients, TotalItems = page.TotalCount };
        }
        catch (DomainException refused)
        {
            error = refused.Message;
            StateHasChanged();
            return new GridData<ClientOverview> { Items = [], TotalItems = 0 };
        }
    }

    private async Task SearchAsync(string? value)
    {
        search = value ?? "";
        await ReloadAsync();
    }

    private Task ReloadAsync() => grid?.ReloadServerData() ?? Task.CompletedTask;

    private async Task OpenDriftAsync(ClientOverview? client)
    {
        var parameters = new DialogParameters<ClientDriftDialog> { { d => d.ClientId, client?.Id }, { d => d.ClientName, client?.Name } };
        var title = client is null ? "Drift of all clients" : $"Drift of {client.Name}";
        await Dialogs.ShowAsync<ClientDriftDialog>(title, parameters, new DialogOptions { MaxWidth = MaxWidth.Large, FullWidth = true, CloseButton = true });
    }
}
