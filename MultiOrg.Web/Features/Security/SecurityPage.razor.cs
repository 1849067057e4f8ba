using Microsoft.AspNetCore.Components;
using MudBlazor;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Security;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Web.Shell;

namespace MultiOrg.Web.Features.Security;

/// <summary>The organization's security policies, under Settings.</summary>
public sealed partial class SecurityPage
{
    private SecurityPolicyView? policy;
    private readonly SecurityForm form = new();
    private bool saving;
    private string? loadError;
    private DomainException? fieldError;

    [Parameter]
    public Guid OrgId { get; set; }

    [Inject]
    private SecurityPolicyService Policies { get; set; } = default!;

    [Inject]
    private TenantContext Tenant { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    private string? Field => fieldError?.Field;

    private bool CanSyncDirectory => Access.AbilitiesOf(Tenant).Can(Permission.ManageDirectorySync);

    private IReadOnlyList<SectionNav.Section> Sections =>
    [
        new("sign-in", "Sign-in"),
        new("addresses", "Allowed addresses"),
        new("retention", "Data retention"),
        new("single-sign-on", "Single sign-on"),
        new("saml", "SAML"),
        .. CanSyncDirectory ? [new SectionNav.Section("directory-sync", "Directory sync")] : Array.Empty<SectionNav.Section>(),
    ];

    private string? FieldError => fieldError?.Message;

    protected override async Task OnInitializedAsync()
    {
        try
        {
            Show(await Policies.GetAsync());
        }
        catch (DomainException error)
        {
            loadError = error.Message;
        }
    }

    private async Task SaveAsync()
    {
        saving = true;
        fieldError = null;
        try
        {
            try
            {
                Show(await Policies.UpdateAsync(form.ToInput(confirmExcludesMyAddress: false)));
            }
            catch (DomainException error) when (error.Field == "confirmExcludesMyAddress")
            {
                // Saving a list without one's own address locks oneself out: only on an explicit yes.
                var confirmed = await Dialogs.ConfirmDangerAsync(
                    "Lock yourself out?",
                    $"{error.Message} You lose access to {Tenant.OrganizationName} from this address at once, on every page, key and assistant you use here; " +
                    "only an owner or admin at an allowed address can let you back in.",
                    confirmText: "Save and lock me out",
                    cancelText: "Keep editing");
                if (!confirmed)
                {
                    return;
                }

                Show(await Policies.UpdateAsync(form.ToInput(confirmExcludesMyAddress: true)));
            }

            Snackbar.Add("Security policies saved.", Severity.Success);
        }
        catch (DomainException error) when (error.Field is not null)
        {
            fieldError = error;
        }
        catch (DomainException error)
        {
            Snackbar.Add(error.Message, Severity.Error);
        }
        finally
        {
            saving = false;
        }
    }

    private async Task CancelRetentionAsync()
    {
        saving = true;
        try
        {
            await Snackbar.RunAsync(async () =>
            {
                Show(await Policies.CancelPendingRetentionAsync());
                Snackbar.Add("The shorter audit retention was cancelled.", Severity.Success);
            });
        }
        finally
        {
            saving = false;
        }
    }

    private void Show(SecurityPolicyView view)
    {
        if (view.Notice is { } notice)
        {
            Snackbar.Add(notice, Severity.Warning);
        }

        policy = view;
        form.RequireTwoFactor = view.RequireTwoFactor;
        form.PasswordMinLength = view.PasswordMinLength;
        form.PasswordRequireDigit = view.PasswordRequireDigit;
        form.PasswordRequireUpperAndLower = view.PasswordRequireUpperAndLower;
        form.PasswordRequireSymbol = view.PasswordRequireSymbol;
        form.IdleTimeoutMinutes = view.IdleTimeoutMinutes;
        form.IpAllowList = string.Join('\n', view.IpAllowList);
        form.AuditRetentionDays = view.AuditRetentionDays;
    }

    private sealed class SecurityForm
    {
        public bool RequireTwoFactor { get; set; }

        public int PasswordMinLength { get; set; } = SecurityPolicy.MinPasswordLength;

        public bool PasswordRequireDigit { get; set; }

        public bool PasswordRequireUpperAndLower { get; set; }

        public bool PasswordRequireSymbol { get; set; }

        public int? IdleTimeoutMinutes { get; set; }

        public string IpAllowList { get; set; } = "";

        public int? AuditRetentionDays { get; set; }

        public SecurityPolicyInput ToInput(bool confirmExcludesMyAddress) => new(
            RequireTwoFactor, PasswordMinLength, PasswordRequireDigit, PasswordRequireUpperAndLower, PasswordRequireSymbol,
            IdleTimeoutMinutes, IpAllowList.Split('\n'), AuditRetentionDays, confirmExcludesMyAddress);
    }
}
