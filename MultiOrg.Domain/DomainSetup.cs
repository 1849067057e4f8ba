using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MultiOrg.Domain;

/// <summary>
/// The domain services, one per circuit or request (scoped: each takes that scope's <see cref="Tenancy.TenantContext"/>).
/// The host supplies the ports: the database (<c>AddMultiOrgData</c>), <see cref="Billing.PlanCatalog"/>,
/// <see cref="Events.IOrganizationEvents"/>, the mail ports (<see cref="Members.IMemberNotices"/>,
/// <see cref="Audit.IAuditNotices"/>, <see cref="Organizations.IOwnerNotices"/>, <see cref="Invitations.IInvitationSender"/>),
/// <see cref="Branding.ILogoImages"/>, <see cref="SingleSignOn.ISsoSecretProtector"/>,
/// <see cref="Security.OutboundAddresses"/> and <see cref="Joining.IDnsTxtLookup"/>; the app and the tests register the
/// same services this way, so a test scope is made as a circuit's is.
/// </summary>
public static class DomainSetup
{
    public static IServiceCollection AddMultiOrgDomain(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddScoped<ILookupNormalizer, UpperInvariantLookupNormalizer>();
        services.AddOptions();
        services.TryAddScoped<Tenancy.TenantContext>();

        services.AddScoped<Organizations.OrganizationService>();
        services.AddScoped<Tenancy.OrganizationDoor>();
        services.AddScoped<Organizations.OrganizationProfileService>();
        services.AddScoped<Organizations.OrganizationDashboardService>();
        services.AddScoped<Members.MemberService>();
        services.AddScoped<Invitations.InvitationService>();
        services.AddScoped<Invitations.InvitationInbox>();
        services.AddScoped<Joining.JoinPolicyService>();
        services.AddScoped<Joining.DomainAutoJoin>();
        services.AddScoped<Joining.DirectoryService>();
        services.AddScoped<Joining.DomainVerificationService>();
        services.AddScoped<Notes.NoteService>();
        services.AddScoped<Users.UserPreferenceService>();
        services.AddScoped<Users.AccountClosureService>();
        services.AddScoped<ApiKeys.ApiKeyService>();
        services.AddScoped<Scim.ScimTokenService>();
        services.AddScoped<Scim.ScimUserService>();
        services.AddScoped<Scim.ScimGroupService>();
        services.AddScoped<Support.SupportService>();
        services.AddScoped<Audit.AuditService>();
        services.AddScoped<Audit.AuditArchiveService>();
        services.AddScoped<Text.UnsafeNames>();
        services.AddScoped<Clients.ClientOnboardingService>();
        services.AddScoped<Clients.PartnerAggregationService>();
        services.AddScoped<Clients.ConfigurationPushService>();
        services.AddScoped<Accounting.AccountingService>();
        services.AddScoped<Billing.BillingService>();
        services.AddScoped<Billing.StatementService>();
        services.AddScoped<FeatureSwitches.FeatureService>();
        services.AddScoped<Jobs.JobLeases>();
        services.AddScoped<Mail.OutboxAudit>();
        services.AddScoped<Teams.TeamService>();
        services.AddScoped<Branding.BrandingService>();
        services.AddScoped<Security.SecurityPolicyService>();
        services.AddScoped<Security.SecurityLookup>();
        services.AddScoped<Security.SessionService>();
        services.AddScoped<Security.RefreshTokenService>();
        services.AddScoped<SingleSignOn.SingleSignOnService>();
        services.AddScoped<SingleSignOn.SsoLookup>();
        services.AddScoped<SingleSignOn.SsoProvisioning>();
        services.AddScoped<SingleSignOn.BreakGlassSignIn>();
        services.AddScoped<SingleSignOn.SamlSettingsService>();
        services.AddScoped<SingleSignOn.SamlLookup>();
        return services;
    }
}
