using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.SingleSignOn;
using MultiOrg.Web.Shell;

namespace MultiOrg.Web.Features.SingleSignOn;

/// <summary>The organization's OpenID Connect provider, on the Security page: OWNER edits, ADMIN reads.</summary>
public sealed partial class SsoSection
{
    private SsoSettingsView? view;
    private readonly SsoForm form = new();
    private SsoConnectionResult? testResult;
    private bool busy;
    private string? loadError;
    private DomainException? fieldError;

    [Parameter]
    [EditorRequired]
    public Guid OrgId { get; set; }

    [Inject]
    private SingleSignOnService Settings { get; set; } = default!;

    [Inject]
    private SsoConnectionTest ConnectionTest { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    private string? Field => fieldError?.Field;

    private string? FieldError => fieldError?.Message;

    private string RedirectUri => Navigation.ToAbsoluteUri(SsoAuthority.CallbackPath(OrgId)).ToString();

    protected override async Task OnInitializedAsync()
    {
        try
        {
            Show(await Settings.GetAsync());
        }
        catch (DomainException error)
        {
            loadError = error.Message;
        }
    }

    private async Task SaveAsync()
    {
        await SubmitAsync(async () =>
        {
            // Read now, not at load: the SAML section on the same page may have been saved since.
            if ((await Settings.GetAsync()).SamlInUse && await Dialogs.ShowMessageBoxAsync(
                    "Replace SAML with OpenID Connect?",
                    "SAML sign-in stops; people at the domains sign in through the OpenID Connect provider from now on. The SAML IdP settings are kept, unused, until SAML is saved again.",
                    yesText: "Replace", cancelText: "Keep SAML") != true)
            {
                return;
            }

            Show(await Settings.SaveAsync(form.ToInput()));
            Snackbar.Add(form.Enabled ? "Single sign-on saved. The next sign-in uses the new settings." : "Single sign-on saved (off).", Severity.Success);
        });
    }

    private async Task TestAsync()
    {
        await SubmitAsync(async () => testResult = await ConnectionTest.TestAsync(form.Authority));
    }

    private async Task RemoveAsync()
    {
        var confirmed = await Dialogs.ConfirmDangerAsync(
            "Remove single sign-on?",
            "The provider's settings and client secret are deleted. People at its domains sign in with passwords again; those who never set one use “Forgot your password?”.",
            "Remove single sign-on",
            "Keep it");
        if (!confirmed)
        {
            return;
        }

        await SubmitAsync(async () =>
        {
            await Settings.RemoveAsync();
            form.Clear();
            Show(await Settings.GetAsync());
            Snackbar.Add("Single sign-on removed.", Severity.Success);
        });
    }

    /// <summary>The form is disabled while it runs; a refusal naming a field shows under that field.</summary>
    private async Task SubmitAsync(Func<Task> action)
    {
        busy = true;
        fieldError = null;
        testResult = null;
        try
        {
            await Snackbar.RunAsync(action, fieldRefused: error => fieldError = error);
        }
        finally
        {
            busy = false;
        }
    }

    private async Task SetBreakGlassAsync(string? userId)
    {
        await Snackbar.RunAsync(
            async () => Show(await Settings.SetBreakGlassOwnerAsync(string.IsNullOrEmpty(userId) ? null : userId)),
            string.IsNullOrEmpty(userId) ? "No break-glass owner." : "Break-glass owner saved.");
    }

    private async Task CopyRedirectUriAsync()
    {
        await JS.InvokeVoidAsync("navigator.clipboard.writeText", RedirectUri);
        Snackbar.Add("Redirect URI copied.", Severity.Info);
    }

    private void Show(SsoSettingsView settings)
    {
        view = settings;
        form.Enabled = settings.Enabled;
        form.Required = settings.Required;
        form.Authority = settings.Authority;
        form.ClientId = settings.ClientId;
        form.ClientSecret = null;
        form.DefaultRole = settings.DefaultRole;
        form.Domains = [.. settings.Domains];
    }

    private sealed class SsoForm
    {
        public bool Enabled { get; set; }

        public bool Required { get; set; }

        public string? Authority { get; set; }

        public string? ClientId { get; set; }

        public string? ClientSecret { get; set; }

        public OrganizationRole DefaultRole { get; set; } = OrganizationRole.Member;

        public IReadOnlyCollection<string> Domains { get; set; } = [];

        public SsoSettingsInput ToInput() => new(Authority, ClientId, ClientSecret, [.. Domains], Enabled, Required, DefaultRole);

        public void Clear()
        {
            Authority = null;
            ClientId = null;
            ClientSecret = null;
        }
    }
}
