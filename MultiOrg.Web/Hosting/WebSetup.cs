using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Identity;
using MudBlazor.Services;
using MultiOrg.Domain;
using MultiOrg.Domain.ApiKeys;
using MultiOrg.Domain.Invitations;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Users;
using MultiOrg.Web.Components.Account;
using MultiOrg.Web.Doors;
using MultiOrg.Web.Email;
using MultiOrg.Web.Doors.Api;
using MultiOrg.Web.Features.ApiKeys;
using MultiOrg.Web.Features.Assistant;
using MultiOrg.Web.Features.Audit;
using MultiOrg.Web.Features.Billing;
using MultiOrg.Web.Features.Branding;
using MultiOrg.Web.Features.Clients;
using MultiOrg.Web.Features.FeatureSwitches;
using MultiOrg.Web.Features.Invitations;
using MultiOrg.Web.Features.Joining;
using MultiOrg.Web.Features.Scim;
using MultiOrg.Web.Features.Security;
using MultiOrg.Web.Features.SingleSignOn;
using MultiOrg.Web.Shell;
using Polly;

namespace MultiOrg.Web.Hosting;

/// <summary>
/// Every service of the app, in the order the framework needs (Identity before the password validator that adds to its
/// own, the exception handlers in the order they try). The domain's services come from <see cref="DomainSetup.AddMultiOrgDomain"/>
/// and the database from <c>AddMultiOrgData</c> (through <see cref="DatabaseSetup.AddMultiOrgDatabase"/>), which the
/// tests' scopes use too; what is here is the Web side: pages, sign-in, mail, jobs, the API and the assistant.
/// </summary>
public static class WebSetup
{
    public static WebApplicationBuilder AddMultiOrgWeb(this WebApplicationBuilder builder)
    {
        AddPages(builder.Services, builder.Configuration);
        AddSignIn(builder.Services, builder.Configuration);
        builder.Services.AddMultiOrgDatabase(builder.Configuration, builder.Environment);

        // Keys in the database: sign-in cookies, bearer tokens and antiforgery tokens survive restarts and work on every
        // server; encrypted with DataProtection:Certificate when one is configured.
        builder.Services.AddMultiOrgDataProtection(builder.Configuration);
        AddIdentity(builder.Services, builder.Configuration);
        AddMail(builder.Services, builder.Configuration, builder.Environment);
        AddDomainAndJobs(builder.Services, builder.Configuration);

        // Metrics on /metrics of the management address (Prometheus text): requests and errors per door, job runs,
        // events, ASP.NET Core's and Blazor's own (open circuits: aspnetcore.components.circuit.active); metrics and
        // traces over OTLP when OpenTelemetry:Endpoint is set.
        builder.AddMultiOrgTelemetry();

        // /metrics on its own management address (Metrics:Urls, loopback by default), never on the public one.
        builder.AddMetricsPort();
        builder.Services.AddMultiOrgSecurityHeaders();
        builder.Services.AddAssetCompression();
        AddApiAndAssistant(builder);
        return builder;
    }

    private static void AddPages(IServiceCollection services, IConfiguration configuration)
    {
        services.AddRazorComponents()
            .AddInteractiveServerComponents()
            .AddCircuitPersistence(configuration);

        // Every circuit's JS interop reuses one set of compiled JSON accessors (bench/results/circuit-heap.md).
        services.AddSharedInteropContracts();
        services.AddMudServices(options =>
        {
            options.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomRight;
            options.SnackbarConfiguration.PreventDuplicates = false;
            options.SnackbarConfiguration.VisibleStateDuration = 4000;
        });

        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<NewAccounts>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
    }

    private static void AddSignIn(IServiceCollection services, IConfiguration configuration)
    {
        // Pages sign in with the Identity cookie; API clients send a bearer token. One policy scheme picks per request.
        // An API key is not a person's credential and is not in this chain (docs/decisions/0018): a request that carries
        // one is read as if it carried none, and only the endpoints that name the key's scheme (ApiAuthorization) accept
        // it. A SCIM token likewise: only /scim/v2/{orgId} names its scheme.
        const string CookieOrBearer = "CookieOrBearer";
        services.AddAuthentication(options =>
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
            .AddScheme<AuthenticationSchemeOptions, ScimTokenAuthenticationHandler>(ScimTokenAuthenticationHandler.SchemeName, displayName: null, _ => { })
            .AddMultiOrgBearerTokens()
            .AddIdentityCookies(cookies => cookies.ApplicationCookie?.Configure(options =>
            {
                // API callers get status codes, not a redirect to the sign-in page.
                options.Events.OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => ApiAwareRedirect(context, StatusCodes.Status403Forbidden);
                SessionCookies.Configure(options);
            }));

        // Each organization's OpenID Connect provider, made at run time from its settings (no restart when they change).
        SsoSetup.AddMultiOrgSingleSignOn(services);
        Outbound.OutboundHttp.AddMultiOrgOutboundHttp(services, configuration);
        DnsTxtLookup.AddDomainVerification(services, configuration);

        // A changed security stamp ("sign out everywhere") stops a cookie within a minute, not Identity's default half hour.
        services.Configure<SecurityStampValidatorOptions>(options =>
        {
            options.ValidationInterval = TimeSpan.FromMinutes(1);
            SessionCookies.KeepSessionOnRefresh(options);
        });

        // The JSON API takes bearer tokens only: a browser's sign-in cookie never authorizes it, so no cross-site request
        // can. One organization's routes (its API group and its assistant endpoint) also take that organization's API key.
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiAuthorization.Policy, policy => policy
                .AddAuthenticationSchemes(IdentityConstants.BearerScheme)
                .RequireAuthenticatedUser())
            .AddPolicy(ApiAuthorization.OrganizationPolicy, policy => policy
                .AddAuthenticationSchemes(IdentityConstants.BearerScheme, ApiKeyAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser())
            // SCIM (/scim/v2/{orgId}) takes that organization's SCIM token and nothing else: no person's token, no API key.
            .AddPolicy(ScimTokenAuthenticationHandler.Policy, policy => policy
                .AddAuthenticationSchemes(ScimTokenAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser());
    }

    private static void AddIdentity(IServiceCollection services, IConfiguration configuration)
    {
        var identitySettings = services.ReadSettings<IdentitySettings>(configuration, IdentitySettings.Section);
        services.AddIdentityCore<AppUser>(options =>
            {
                identitySettings.ApplyTo(options);
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 8;
                options.Lockout.AllowedForNewUsers = true;
                options.Stores.SchemaVersion = IdentitySchemaVersions.Version3;
            })
            .AddEntityFrameworkStores<MultiOrg.Data.MultiOrgDbContext>()
            .AddUserManager<JoiningUserManager>()
            .AddDefaultTokenProviders()
            .AddApiEndpoints()
            // After AddApiEndpoints, which registers Identity's plain sign-in manager again: the last registration wins.
            .AddSignInManager<SsoSignInManager>();
    }

    private static void AddMail(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        // Links in mail start with App:PublicBaseUrl (required in Production), never with the request's Host header.
        services.AddPublicAddress(configuration, environment);

        // Mail goes through SMTP when Email:Smtp:Host is set, otherwise to .eml files in Email:PickupDirectory (App_Data/mail).
        services.AddSettings<EmailOptions>(EmailOptions.Section);
        services.AddSettings<InvitationOptions>(InvitationOptions.Section);
        services.AddSettings<MultiOrg.Domain.Audit.AuditOptions>(MultiOrg.Domain.Audit.AuditOptions.Section);
        services.AddSingleton<MailSender>();
        services.AddSingleton<AppLinks>();

        // Every mail is written to the outbox in the save of the change that causes it, sent right after the commit, and
        // retried by the outbox job (Polly for the quick retries of one attempt, the outbox's doubling wait across attempts).
        services.AddResilienceEnricher();

        // A refused attempt is the outbox's to report (a warning per mail, an error when given up): Polly's own attempt
        // events stay below the default log level.
        services.Configure<Polly.Telemetry.TelemetryOptions>(telemetry => telemetry.SeverityProvider = args =>
            args.Event.EventName is "ExecutionAttempt" or "OnRetry" ? Polly.Telemetry.ResilienceEventSeverity.Debug : args.Event.Severity);
        services.AddResiliencePipeline(MailOutbox.PipelineName, (pipeline, context) =>
        {
            pipeline.TimeProvider = context.ServiceProvider.GetRequiredService<TimeProvider>();
            MailOutbox.Configure(pipeline, context.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<EmailOptions>>().Value.Outbox);
        });
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<MailOutbox>(sp,
            sp.GetRequiredService<Polly.Registry.ResiliencePipelineProvider<string>>().GetPipeline(MailOutbox.PipelineName)));
        services.AddHostedService<MailOutboxJob>();
        services.AddScoped<IInvitationSender, InvitationMailer>();
        services.AddSingleton<NoticeMailer>();
        services.AddSingleton<IMemberNotices>(sp => sp.GetRequiredService<NoticeMailer>());
        services.AddSingleton<MultiOrg.Domain.Audit.IAuditNotices>(sp => sp.GetRequiredService<NoticeMailer>());
        services.AddSingleton<MultiOrg.Domain.Organizations.IOwnerNotices>(sp => sp.GetRequiredService<NoticeMailer>());
        services.AddSingleton<IEmailSender<AppUser>, IdentityEmailSender>();
    }

    private static void AddDomainAndJobs(IServiceCollection services, IConfiguration configuration)
    {
        // Changes other circuits must react to (member removed, role changed, signed out…): in-process, or Redis when configured.
        Events.EventsSetup.AddOrganizationEvents(services, configuration);
        services.AddMultiOrgDomain();
        services.AddSingleton(new MultiOrg.Domain.Billing.PlanCatalog(
            services.ReadSettings<MultiOrg.Domain.Billing.BillingOptions>(configuration, MultiOrg.Domain.Billing.BillingOptions.Section)));
        services.AddScoped<FeatureState>();
        services.AddSettings<JobsSettings>(JobsSettings.Section);
        services.AddHostedService<PeriodCloseJob>();
        services.AddSingleton<MultiOrg.Domain.Branding.ILogoImages, SkiaLogoImages>();
        services.AddScoped<UserOrganizations>();
        services.AddScoped<ShellAppearance>();
        services.AddOrganizationDoors();
        services.AddScoped<OrganizationsPageData>();
        services.AddSingleton<SystemDarkPalette>();
        services.AddScoped<IPasswordValidator<AppUser>, OrganizationPasswordValidator>();
        services.AddScoped<IdleWatch>();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, IdleWatchCircuitHandler>();
        if (services.ReadSettings<AuditRetentionSettings>(configuration, AuditRetentionSettings.Section).AuditRetentionJob)
        {
            services.AddHostedService<AuditRetentionJob>();
        }
    }

    private static void AddApiAndAssistant(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddProblemDetails();
        services.AddMultiOrgRateLimits(builder.Configuration);
        services.AddMultiOrgOpenApi();
        services.AddHttpContextAccessor();
        services.AddDistributedMemoryCache().AddSingleton<AssistantSessions>();
        AssistantAuthorization.AddAssistantAuthorization(builder);

        // Stateful sessions: "switch organization" lasts for the rest of the assistant session.
        services.AddMcpServer().WithHttpTransport(options => options.Stateless = false).WithTools<AssistantTools>();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(options => options.SerializerOptions.Converters.Add(
            new System.Text.Json.Serialization.JsonStringEnumConverter(allowIntegerValues: false)));
    }

    private static Task ApiAwareRedirect(RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
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
}
