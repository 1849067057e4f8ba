using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Identity;
using MudBlazor.Services;
using MultiOrg.Domain.Invitations;
using MultiOrg.Domain.Joining;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Notes;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Users;
using MultiOrg.Domain.ApiKeys;
using MultiOrg.Web.Api;
using MultiOrg.Web.ApiKeys;
using MultiOrg.Web.Components;
using MultiOrg.Web.Components.Account;
using MultiOrg.Web.Email;
using MultiOrg.Web.Hosting;
using MultiOrg.Web.Security;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents()
    .AddCircuitPersistence(builder.Configuration);
builder.Services.AddMudServices(options =>
{
    options.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomRight;
    options.SnackbarConfiguration.PreventDuplicates = false;
    options.SnackbarConfiguration.VisibleStateDuration = 4000;
});

builder.Services.AddCascadingAuthenticationState();
builder.Services.AddScoped<IdentityRedirectManager>();
builder.Services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();

// Pages sign in with the Identity cookie; API clients send a bearer token. One policy scheme picks per request.
// An API key is not a person's credential and is not in this chain (docs/decisions/0018): a request that carries one
// is read as if it carried none, and only the endpoints that name the key's scheme (ApiAuthorization) accept it.
// A SCIM token likewise: only /scim/v2/{orgId} names its scheme.
const string CookieOrBearer = "CookieOrBearer";
builder.Services.AddAuthentication(options =>
    {
        options.DefaultScheme = CookieOrBearer;
        options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
    })
    .AddPolicyScheme(CookieOrBearer, displayName: null, options =>
        options.ForwardDefaultSelector = context =>
            context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                && !context.Request.Headers.Authorization.ToString().StartsWith("Bearer " + ApiKeyService.KeyPrefix, StringComparison.Ordinal)
                && !context.Request.Headers.Authorization.ToString().StartsWith("Bearer " + MultiOrg.Domain.Scim.ScimTokenService.TokenPrefix, StringComparison.Ordinal)
                ? IdentityConstants.BearerScheme
                : IdentityConstants.ApplicationScheme)
    .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, displayName: null, _ => { })
    .AddScheme<AuthenticationSchemeOptions, MultiOrg.Web.Scim.ScimTokenAuthenticationHandler>(MultiOrg.Web.Scim.ScimTokenAuthenticationHandler.SchemeName, displayName: null, _ => { })
    .AddMultiOrgBearerTokens()
    .AddIdentityCookies(cookies => cookies.ApplicationCookie?.Configure(options =>
    {
        // API callers get status codes, not a redirect to the sign-in page.
        options.Events.OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized);
        options.Events.OnRedirectToAccessDenied = context => ApiAwareRedirect(context, StatusCodes.Status403Forbidden);
        MultiOrg.Web.Security.SessionCookies.Configure(options);
    }));

// Each organization's OpenID Connect provider, made at run time from its settings (no restart when they change).
MultiOrg.Web.SingleSignOn.SsoSetup.AddMultiOrgSingleSignOn(builder.Services);
MultiOrg.Web.Outbound.OutboundHttp.AddMultiOrgOutboundHttp(builder.Services, builder.Configuration);
MultiOrg.Web.Joining.DnsTxtLookup.AddDomainVerification(builder.Services, builder.Configuration);

// A changed security stamp ("sign out everywhere") stops a cookie within a minute, not Identity's default half hour.
builder.Services.Configure<SecurityStampValidatorOptions>(options =>
{
    options.ValidationInterval = TimeSpan.FromMinutes(1);
    MultiOrg.Web.Security.SessionCookies.KeepSessionOnRefresh(options);
});
// The JSON API takes bearer tokens only: a browser's sign-in cookie never authorizes it, so no cross-site request can.
// One organization's routes (its API group and its assistant endpoint) also take that organization's API key.
builder.Services.AddAuthorizationBuilder()
    .AddPolicy(ApiAuthorization.Policy, policy => policy
        .AddAuthenticationSchemes(IdentityConstants.BearerScheme)
        .RequireAuthenticatedUser())
    .AddPolicy(ApiAuthorization.OrganizationPolicy, policy => policy
        .AddAuthenticationSchemes(IdentityConstants.BearerScheme, ApiKeyAuthenticationHandler.SchemeName)
        .RequireAuthenticatedUser())
    // SCIM (/scim/v2/{orgId}) takes that organization's SCIM token and nothing else: no person's token, no API key.
    .AddPolicy(MultiOrg.Web.Scim.ScimTokenAuthenticationHandler.Policy, policy => policy
        .AddAuthenticationSchemes(MultiOrg.Web.Scim.ScimTokenAuthenticationHandler.SchemeName)
        .RequireAuthenticatedUser());

builder.Services.AddMultiOrgDatabase(builder.Configuration, builder.Environment);

// Keys in the database: sign-in cookies, bearer tokens and antiforgery tokens survive restarts and work on every server;
// encrypted with DataProtection:Certificate when one is configured.
builder.Services.AddMultiOrgDataProtection(builder.Configuration);

var identitySettings = builder.Services.ReadSettings<IdentitySettings>(builder.Configuration, IdentitySettings.Section);
builder.Services.AddIdentityCore<AppUser>(options =>
    {
        identitySettings.ApplyTo(options);
        options.User.RequireUniqueEmail = true;
        options.Password.RequiredLength = 8;
        options.Lockout.AllowedForNewUsers = true;
        options.Stores.SchemaVersion = IdentitySchemaVersions.Version3;
    })
    .AddEntityFrameworkStores<MultiOrg.Data.MultiOrgDbContext>()
    .AddUserManager<MultiOrg.Web.Joining.JoiningUserManager>()
    .AddDefaultTokenProviders()
    .AddApiEndpoints()
    // After AddApiEndpoints, which registers Identity's plain sign-in manager again: the last registration wins.
    .AddSignInManager<MultiOrg.Web.SingleSignOn.SsoSignInManager>();

// Links in mail start with App:PublicBaseUrl (required in Production), never with the request's Host header.
builder.Services.AddPublicAddress(builder.Configuration, builder.Environment);

// Mail goes through SMTP when Email:Smtp:Host is set, otherwise to .eml files in Email:PickupDirectory (App_Data/mail).
builder.Services.AddSettings<EmailOptions>(EmailOptions.Section);
builder.Services.AddSettings<InvitationOptions>(InvitationOptions.Section);
builder.Services.AddSettings<MultiOrg.Domain.Audit.AuditOptions>(MultiOrg.Domain.Audit.AuditOptions.Section);
builder.Services.AddSingleton<MailSender>();
builder.Services.AddSingleton<AppLinks>();
builder.Services.AddScoped<IInvitationSender, InvitationMailer>();
builder.Services.AddSingleton<NoticeMailer>();
builder.Services.AddSingleton<IMemberNotices>(services => services.GetRequiredService<NoticeMailer>());
builder.Services.AddSingleton<MultiOrg.Domain.Audit.IAuditNotices>(services => services.GetRequiredService<NoticeMailer>());
builder.Services.AddSingleton<MultiOrg.Domain.Organizations.IOwnerNotices>(services => services.GetRequiredService<NoticeMailer>());
builder.Services.AddSingleton<IEmailSender<AppUser>, IdentityEmailSender>();

// Changes other circuits must react to (member removed, role changed, signed out…): in-process, or Redis when configured.
MultiOrg.Web.Events.EventsSetup.AddOrganizationEvents(builder.Services, builder.Configuration);
builder.Services.AddScoped<OrganizationService>();
builder.Services.AddScoped<MemberService>();
builder.Services.AddScoped<InvitationService>();
builder.Services.AddScoped<InvitationInbox>();
builder.Services.AddScoped<JoinPolicyService>();
builder.Services.AddScoped<DomainAutoJoin>();
builder.Services.AddScoped<NoteService>();
builder.Services.AddScoped<UserPreferenceService>();
builder.Services.AddScoped<AccountClosureService>();
builder.Services.AddScoped<ApiKeyService>();
builder.Services.AddScoped<MultiOrg.Domain.Scim.ScimTokenService>();
builder.Services.AddScoped<MultiOrg.Domain.Scim.ScimUserService>();
builder.Services.AddScoped<MultiOrg.Domain.Scim.ScimGroupService>();
builder.Services.AddScoped<MultiOrg.Domain.Support.SupportService>();
builder.Services.AddScoped<MultiOrg.Domain.Audit.AuditService>();
builder.Services.AddScoped<MultiOrg.Domain.Audit.AuditArchiveService>();
builder.Services.AddScoped<MultiOrg.Domain.Text.UnsafeNames>();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddScoped<MultiOrg.Domain.Clients.ClientOnboardingService>();
builder.Services.AddScoped<MultiOrg.Domain.Clients.PartnerAggregationService>();
builder.Services.AddScoped<MultiOrg.Domain.Clients.ConfigurationPushService>();
builder.Services.AddScoped<MultiOrg.Domain.Accounting.AccountingService>();
builder.Services.AddSingleton(new MultiOrg.Domain.Billing.PlanCatalog(
    builder.Services.ReadSettings<MultiOrg.Domain.Billing.BillingOptions>(builder.Configuration, MultiOrg.Domain.Billing.BillingOptions.Section)));
builder.Services.AddScoped<MultiOrg.Domain.Billing.BillingService>();
builder.Services.AddScoped<MultiOrg.Domain.Billing.StatementService>();
builder.Services.AddScoped<MultiOrg.Domain.Features.FeatureService>();
builder.Services.AddScoped<MultiOrg.Web.Components.Features.FeatureState>();
builder.Services.AddScoped<MultiOrg.Domain.Jobs.JobLeases>();
builder.Services.AddSettings<JobsSettings>(JobsSettings.Section);
builder.Services.AddHostedService<MultiOrg.Web.Billing.PeriodCloseJob>();
builder.Services.AddScoped<MultiOrg.Domain.Teams.TeamService>();
builder.Services.AddScoped<OrganizationProfileService>();
builder.Services.AddScoped<OrganizationDashboardService>();
builder.Services.AddScoped<DirectoryService>();
builder.Services.AddScoped<MultiOrg.Domain.Branding.BrandingService>();
builder.Services.AddSingleton<MultiOrg.Domain.Branding.ILogoImages, MultiOrg.Web.Branding.SkiaLogoImages>();
builder.Services.AddScoped<MultiOrg.Web.Components.Layout.UserOrganizations>();
builder.Services.AddSingleton<MultiOrg.Web.Components.Layout.SystemDarkPalette>();
builder.Services.AddScoped<MultiOrg.Domain.Security.SecurityPolicyService>();
builder.Services.AddScoped<MultiOrg.Domain.Security.SecurityDirectory>();
builder.Services.AddScoped<MultiOrg.Domain.Security.SessionService>();
builder.Services.AddScoped<IPasswordValidator<AppUser>, MultiOrg.Web.Security.OrganizationPasswordValidator>();
builder.Services.AddScoped<MultiOrg.Web.Security.IdleWatch>();
builder.Services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, MultiOrg.Web.Security.IdleWatchCircuitHandler>();
if (builder.Services.ReadSettings<MultiOrg.Web.Security.AuditRetentionSettings>(builder.Configuration, MultiOrg.Web.Security.AuditRetentionSettings.Section).AuditRetentionJob)
{
    builder.Services.AddHostedService<MultiOrg.Web.Security.AuditRetentionJob>();
}

// The client address (allow-lists, audit) is the connection's, unless trusted proxies are configured: only then are
// X-Forwarded-For headers believed, and only from those proxies. The framework's default trust of loopback is dropped.
var behindProxies = builder.Services.AddMultiOrgForwardedHeaders(builder.Configuration);

// Metrics on /metrics of the management address (Prometheus text): requests and errors per door, job runs, events, ASP.NET Core's and Blazor's own
// (open circuits: aspnetcore.components.circuit.active); metrics and traces over OTLP when OpenTelemetry:Endpoint is set.
builder.AddMultiOrgTelemetry();

// /metrics on its own management address (Metrics:Urls, loopback by default), never on the public one.
builder.AddMetricsPort();
builder.Services.AddMultiOrgSecurityHeaders();

builder.Services.AddProblemDetails();
builder.Services.AddMultiOrgRateLimits(builder.Configuration);
builder.Services.AddMultiOrgOpenApi();
builder.Services.AddHttpContextAccessor();
builder.Services.AddSingleton<MultiOrg.Web.Assistant.AssistantSessions>();
MultiOrg.Web.Assistant.AssistantAuthorization.AddAssistantAuthorization(builder);
// Stateful sessions: "switch organization" lasts for the rest of the assistant session.
builder.Services.AddMcpServer().WithHttpTransport(options => options.Stateless = false).WithTools<MultiOrg.Web.Assistant.AssistantTools>();
builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
builder.Services.AddExceptionHandler<ApiExceptionHandler>();
builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
builder.Services.Configure<JsonOptions>(options => options.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(allowIntegerValues: false)));

var app = builder.Build();

// A setting that fails its check ends the start with one line naming it, before the database is touched.
app.CheckSettings();

await app.Services.InitializeDatabaseAsync();
await app.Services.ReportUnsafeNamesAsync();

app.UseSecurityHeaders();
app.UseMetricsPort();
app.UseAllowedHosts(app.Configuration);

if (behindProxies)
{
    app.UseForwardedHeaders();
}

// Outside the exception handler, so a request it turned into a 500 is counted as an error of its door.
app.UseDoorMetrics();

app.UseExceptionHandler("/Error", createScopeForErrors: true);
if (!app.Environment.IsDevelopment())
{
    app.UseHsts();
}

app.UseWhen(
    context => context.Request.Path.StartsWithSegments("/api"),
    api => api.UseStatusCodePages());
app.UseWhen(
    context => !context.Request.Path.StartsWithSegments("/api"),
    pages => pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));

app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();

// Before the endpoint binds its body: a caller without the declared permission gets 403, never a validation answer.
app.UseOrganizationPermissions();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();
app.MapAdditionalIdentityEndpoints().ExcludeFromDescription();
MultiOrg.Web.SingleSignOn.SsoEndpoints.MapSingleSignOn(app);
MultiOrg.Web.SingleSignOn.Saml.SamlEndpoints.MapSaml(app);
MultiOrg.Web.Branding.LogoEndpoint.MapOrganizationLogo(app);

app.MapAuthApi();
var api = app.MapGroup("/api")
    .RequireAuthorization(ApiAuthorization.Policy)
    .AddEndpointFilter(ApiErrors.TenantUserFilter)
    .AddEndpointFilterFactory(QueryEnums.NamesOnly);
api.MapOrganizationsApi();
api.MapMyInvitationsApi();
api.MapSupportBillingApi();
api.MapSupportAuditApi();
api.MapDirectoryApi();
app.MapHealthChecks("/health");
MultiOrg.Web.Scim.ScimEndpoints.MapScim(app);

// For a load balancer: live says the process answers (restart it if not); ready says it can serve (database reachable
// and migrated), so traffic waits for it.
app.MapHealthChecks("/health/live", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
{
    Predicate = check => check.Tags.Contains(MultiOrg.Web.Hosting.HealthTags.Ready),
});
app.MapMultiOrgOpenApi();

// One assistant (MCP) connection per organization: /mcp/{orgId}, with an assistant token issued for that address (OAuth,
// decision 0021) or that organization's API key. Its refusals are the MCP client's to read (401 with a Bearer challenge
// naming the protected resource metadata), never re-executed as the not-found page.
MultiOrg.Web.Assistant.AssistantOAuthEndpoints.MapAssistantOAuth(app);
app.MapMcp("/mcp/{orgId:guid}").RequireAuthorization(MultiOrg.Web.Assistant.AssistantAuthorization.Policy)
    .WithMetadata(new Microsoft.AspNetCore.Mvc.SkipStatusCodePagesAttribute());

await app.RunAsync();

static Task ApiAwareRedirect(RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
{
    if (context.Request.Path.StartsWithSegments("/api"))
    {
        context.Response.StatusCode = status;
    }
    else
    {
        context.Response.Redirect(context.RedirectUri);
    }

    return Task.CompletedTask;
}

/// <summary>Entry point, visible to the test host.</summary>
public partial class Program;
