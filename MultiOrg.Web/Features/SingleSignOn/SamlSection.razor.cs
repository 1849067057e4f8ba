using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.SingleSignOn;
using MultiOrg.Web.Email;
using MultiOrg.Web.Features.SingleSignOn.Saml;
using MultiOrg.Web.Shell;

namespace MultiOrg.Web.Features.SingleSignOn;

/// <summary>The organization's SAML 2.0 identity provider, on the Security page: OWNER edits, ADMIN reads.</summary>
public sealed partial class SamlSection
{
    private SamlSettingsView? view;
    private readonly SamlForm form = new();
    private string? pendingMetadata;
    private string? pendingSource;
    private bool busy;
    private string? loadError;
    private DomainException? fieldError;

    [Parameter]
    [EditorRequired]
    public Guid OrgId { get; set; }

    [Inject]
    private SamlSettingsService Settings { get; set; } = default!;

    [Inject]
    private SamlMetadataFetcher Fetcher { get; set; } = default!;

    [Inject]
    private AppLinks Links { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    private string? Field => fieldError?.Field;

    private string? FieldError => fieldError?.Message;

    private string SpCertificatePem =>
        "-----BEGIN CERTIFICATE-----\n" + string.Join('\n', view!.SpCertificate!.Chunk(64).Select(c => new string(c))) + "\n-----END CERTIFICATE-----";

    /// <summary>The values the IdP is given are built from the public address, never from the request.</summary>
    private string Absolute(string path) => Links.To(path);

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

    private async Task ReadFileAsync(IBrowserFile? file)
    {
        if (file is null)
        {
            return;
        }

        await SubmitAsync(async () =>
        {
            if (file.Size > SamlMetadata.MaxLength)
            {
                throw DomainException.Invalid("metadata", "The metadata file is larger than 512 KB.");
            }

            using var reader = new StreamReader(file.OpenReadStream(SamlMetadata.MaxLength));
            Accept(await reader.ReadToEndAsync(), file.Name, url: null);
        });
    }

    private async Task FetchAsync() =>
        await SubmitAsync(async () => Accept(await Fetcher.FetchAsync(form.MetadataUrl), form.MetadataUrl!.Trim(), form.MetadataUrl.Trim()));

    /// <summary>Checked at once, so a wrong file is named before the owner fills the rest.</summary>
    private void Accept(string xml, string source, string? url)
    {
        var metadata = SamlMetadata.Parse(xml);
        pendingMetadata = xml;
        pendingSource = $"{source}: {metadata.EntityId}";
        form.PendingUrl = url;
    }

    private async Task SaveAsync()
    {
        await SubmitAsync(async () =>
        {
            // Read now, not at load: the OpenID Connect section on the same page may have been saved since.
            if ((await Settings.GetAsync()).OpenIdConnectInUse && await Dialogs.ShowMessageBoxAsync(
                    "Replace OpenID Connect with SAML?",
                    "The organization's OpenID Connect provider and its client secret are deleted; people at the domains sign in through the SAML IdP from now on.",
                    yesText: "Replace", cancelText: "Keep OpenID Connect") != true)
            {
                return;
            }

            Show(await Settings.SaveAsync(form.ToInput(pendingMetadata)));
            pendingMetadata = null;
            pendingSource = null;
            Snackbar.Add(form.Enabled ? "SAML single sign-on saved. The next sign-in uses the new settings." : "SAML single sign-on saved (off).", Severity.Success);
        });
    }

    private async Task RemoveAsync()
    {
        var confirmed = await Dialogs.ConfirmDangerAsync(
            "Remove SAML single sign-on?",
            "The IdP's settings and MultiOrg's signing key for it are deleted. People at its domains sign in with passwords again; those who never set one use “Forgot your password?”.",
            "Remove SAML", "Keep it");
        if (!confirmed)
        {
            return;
        }

        await SubmitAsync(async () =>
        {
            await Settings.RemoveAsync();
            Show(await Settings.GetAsync());
            Snackbar.Add("SAML single sign-on removed.", Severity.Success);
        });
    }

    /// <summary>The form is disabled while it runs; a refusal naming a field shows under that field.</summary>
    private async Task SubmitAsync(Func<Task> action)
    {
        busy = true;
        fieldError = null;
        try
        {
            await Snackbar.RunAsync(action, fieldRefused: error => fieldError = error);
        }
        finally
        {
            busy = false;
        }
    }

    private void Show(SamlSettingsView settings)
    {
        view = settings;
        form.Enabled = settings.Enabled;
        form.Required = settings.Required;
        form.DefaultRole = settings.DefaultRole;
        form.Domains = [.. settings.Domains];
        form.IdpInitiated = settings.IdpInitiated;
        form.EmailAttribute = settings.EmailAttribute;
        form.NameAttribute = settings.NameAttribute;
        form.MetadataUrl = settings.MetadataUrl;
    }

    private sealed class SamlForm
    {
        public bool Enabled { get; set; }

        public bool Required { get; set; }

        public bool IdpInitiated { get; set; }

        public OrganizationRole DefaultRole { get; set; } = OrganizationRole.Member;

        public IReadOnlyCollection<string> Domains { get; set; } = [];

        public string? EmailAttribute { get; set; }

        public string? NameAttribute { get; set; }

        public string? MetadataUrl { get; set; }

        public string? PendingUrl { get; set; }

        public SamlSettingsInput ToInput(string? metadata) =>
            new(metadata, PendingUrl, [.. Domains], Enabled, Required, DefaultRole, IdpInitiated, EmailAttribute, NameAttribute);
    }
}
