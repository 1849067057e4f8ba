using MultiOrg.Web.Components;
using MultiOrg.Web.Components.Account;
using MultiOrg.Web.Hosting;
using MultiOrg.Web.Doors.Api;
using MultiOrg.Web.Features.Audit;
using MultiOrg.Web.Features.Invitations;
using MultiOrg.Web.Features.Joining;
using MultiOrg.Web.Features.Organizations;
using MultiOrg.Web.Features.Security;
using MultiOrg.Web.Features.Support;

// Every service (pages, sign-in, the domain and its database, mail, jobs, API, assistant): Hosting/WebSetup.cs.
var builder = WebApplication.CreateBuilder(args);
builder.AddMultiOrgWeb();

// The client address (allow-lists, audit) is the connection's, unless trusted proxies are configured: only then are
// X-Forwarded-For headers believed, and only from those proxies. The framework's default trust of loopback is dropped.
var behindProxies = builder.Services.AddMultiOrgForwardedHeaders(builder.Configuration);

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
MultiOrg.Web.Features.Assistant.AssistantAuthorization.UsePublicAddressForAssistant(app);
app.UseAuthentication();
app.UseAuthorization();

// Before the endpoint binds its body: a caller without the declared permission gets 403, never a validation answer.
app.UseOrganizationPermissions();
app.UseAntiforgery();

// Package and framework files compressed where the build has no precompressed copy (Hosting/AssetCompression.cs).
app.UseAssetCompression();
app.MapStaticAssets();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();
app.MapAdditionalIdentityEndpoints().ExcludeFromDescription();
MultiOrg.Web.Features.SingleSignOn.SsoEndpoints.MapSingleSignOn(app);
MultiOrg.Web.Features.SingleSignOn.Saml.SamlEndpoints.MapSaml(app);
MultiOrg.Web.Features.Branding.LogoEndpoint.MapOrganizationLogo(app);

app.MapAuthApi();
var api = app.MapGroup("/api")
    .RequireAuthorization(ApiAuthorization.Policy)
    .AddEndpointFilter(MultiOrg.Web.Doors.ApiDoor.CallerFilter)
    .AddEndpointFilterFactory(QueryEnums.NamesOnly);
api.MapOrganizationsApi();
api.MapMyInvitationsApi();
api.MapSupportApi();
api.MapSupportAuditApi();
api.MapDirectoryApi();
app.MapHealthChecks("/health");
MultiOrg.Web.Features.Scim.ScimEndpoints.MapScim(app);

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
MultiOrg.Web.Features.Assistant.AssistantOAuthEndpoints.MapAssistantOAuth(app);
app.MapMcp("/mcp/{orgId:guid}").RequireAuthorization(MultiOrg.Web.Features.Assistant.AssistantAuthorization.Policy)
    .WithMetadata(new Microsoft.AspNetCore.Mvc.SkipStatusCodePagesAttribute());

await app.RunAsync();

/// <summary>Entry point, visible to the test host.</summary>
public partial class Program;
