using Microsoft.AspNetCore.Components;
using MudBlazor;
using MultiOrg.Domain.Accounting;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Web.Shell;

namespace MultiOrg.Web.Features.Accounting;

/// <summary>The chart of accounts, tax codes and entities (editable by owners and admins) and the rest read-only.</summary>
public sealed partial class AccountingPage
{
    private readonly AccountForm accountForm = new();
    private readonly TaxForm taxForm = new();
    private readonly EntityForm entityForm = new();
    private readonly Dictionary<string, string> accountErrors = [];
    private readonly Dictionary<string, string> taxErrors = [];
    private readonly Dictionary<string, string> entityErrors = [];
    private IReadOnlyList<AccountView> accounts = [];
    private IReadOnlyList<TaxCodeView> taxCodes = [];
    private IReadOnlyList<EntityView> entities = [];
    private ConfigurationOverview? overview;
    private string accountSearch = "";

    [Parameter]
    public Guid OrgId { get; set; }

    [Inject]
    private TenantContext Tenant { get; set; } = default!;

    [Inject]
    private AccountingService Accounting { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    private bool CanEdit => Access.AbilitiesOf(Tenant).Can(Permission.EditConfiguration);

    private IEnumerable<AccountView> FilteredAccounts => string.IsNullOrWhiteSpace(accountSearch)
        ? accounts
        : accounts.Where(a => a.Number.Contains(accountSearch.Trim(), StringComparison.OrdinalIgnoreCase)
            || a.Name.Contains(accountSearch.Trim(), StringComparison.OrdinalIgnoreCase));

    protected override async Task OnInitializedAsync()
    {
        accounts = await Accounting.ListAccountsAsync();
        taxCodes = await Accounting.ListTaxCodesAsync();
        entities = await Accounting.ListEntitiesAsync();
        overview = await Accounting.GetOverviewAsync();
    }

    private async Task SaveAccountAsync()
    {
        await SaveAsync(accountErrors, async () =>
        {
            var saved = accountForm.Id is { } id
                ? await Accounting.UpdateAccountAsync(id, accountForm.Name, accountForm.Type)
                : await Accounting.AddAccountAsync(accountForm.Number, accountForm.Name, accountForm.Type, accountForm.ParentNumber);
            Snackbar.Add($"Account {saved.Number} saved.", Severity.Success);
            ResetAccountForm();
            accounts = await Accounting.ListAccountsAsync();
        });
    }

    private void EditAccount(AccountView account)
    {
        accountErrors.Clear();
        accountForm.Id = account.Id;
        accountForm.Number = account.Number;
        accountForm.Name = account.Name;
        accountForm.Type = account.Type;
    }

    private void ResetAccountForm()
    {
        accountErrors.Clear();
        accountForm.Id = null;
        accountForm.Number = "";
        accountForm.Name = "";
        accountForm.ParentNumber = null;
    }

    private async Task DeleteAccountAsync(AccountView account)
    {
        var confirmed = await Dialogs.ConfirmDangerAsync("Delete account?", $"Account {account.Number} {account.Name} will be removed from the chart.", "Delete account");
        if (!confirmed)
        {
            return;
        }

        await Snackbar.RunAsync(async () =>
        {
            await Accounting.DeleteAccountAsync(account.Id);
            Snackbar.Add($"Account {account.Number} deleted.", Severity.Success);
            accounts = await Accounting.ListAccountsAsync();
        });
    }

    private async Task SaveTaxCodeAsync()
    {
        await SaveAsync(taxErrors, async () =>
        {
            var saved = await Accounting.SaveTaxCodeAsync(taxForm.Id, taxForm.Code, taxForm.Name, taxForm.Rate, taxForm.Direction);
            Snackbar.Add($"Tax code {saved.Code} saved.", Severity.Success);
            ResetTaxForm();
            taxCodes = await Accounting.ListTaxCodesAsync();
        });
    }

    private void EditTaxCode(TaxCodeView code)
    {
        taxErrors.Clear();
        taxForm.Id = code.Id;
        taxForm.Code = code.Code;
        taxForm.Name = code.Name;
        taxForm.Rate = code.RatePercent;
        taxForm.Direction = code.Direction;
    }

    private void ResetTaxForm()
    {
        taxErrors.Clear();
        taxForm.Id = null;
        taxForm.Code = "";
        taxForm.Name = "";
        taxForm.Rate = 0;
        taxForm.Direction = TaxDirection.Both;
    }

    private async Task AddEntityAsync()
    {
        await SaveAsync(entityErrors, async () =>
        {
            var added = await Accounting.AddEntityAsync(entityForm.Code, entityForm.Name, entityForm.CountryCode, null);
            Snackbar.Add($"Entity {added.Code} added.", Severity.Success);
            entityForm.Code = "";
            entityForm.Name = "";
            entities = await Accounting.ListEntitiesAsync();
        });
    }

    /// <summary>Runs a save; a refusal lands on its field (or a snackbar when it names none).</summary>
    private async Task SaveAsync(Dictionary<string, string> errors, Func<Task> save)
    {
        errors.Clear();
        await Snackbar.RunAsync(save, fieldRefused: error => errors[error.Field!] = error.Message);
    }

    private sealed class AccountForm
    {
        public Guid? Id { get; set; }

        public string Number { get; set; } = "";

        public string Name { get; set; } = "";

        public AccountType Type { get; set; } = AccountType.Asset;

        public string? ParentNumber { get; set; }
    }

    private sealed class TaxForm
    {
        public Guid? Id { get; set; }

        public string Code { get; set; } = "";

        public string Name { get; set; } = "";

        public decimal Rate { get; set; }

        public TaxDirection Direction { get; set; } = TaxDirection.Both;
    }

    private sealed class EntityForm
    {
        public string Code { get; set; } = "";

        public string Name { get; set; } = "";

        public string? CountryCode { get; set; }
    }
}
