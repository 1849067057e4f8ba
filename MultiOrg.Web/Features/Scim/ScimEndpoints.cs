using System.Text.Json.Nodes;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Scim;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Web.Doors;
using MultiOrg.Web.Email;

namespace MultiOrg.Web.Features.Scim;

/// <summary>
/// The SCIM 2.0 service provider of one organization, <c>/scim/v2/{orgId}</c> (RFC 7644): Users, Groups (its teams),
/// ServiceProviderConfig, ResourceTypes and Schemas. Every request comes in through the directory door: the token of
/// that organization, its allow-list, and the rights of the owner who made the token, re-read at each request.
/// </summary>
public static class ScimEndpoints
{
    public const string BasePath = "/scim/v2";

    public static void MapScim(this IEndpointRouteBuilder app)
    {
        var scim = app.MapGroup(BasePath + "/{orgId:guid}")
            .RequireAuthorization(ScimTokenAuthenticationHandler.Policy)
            .AddEndpointFilter(EnterAsync)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.SkipStatusCodePagesAttribute())
            .ExcludeFromDescription();

        scim.MapGet("/Users", async (HttpRequest request, ScimUserService users, string orgId, AppLinks links, CancellationToken ct) =>
        {
            var filter = ScimProtocol.Filter(request, ScimProtocol.UserSchema, ScimFields.UserName, ScimFields.ExternalId, ScimFields.EmailsValue);
            var (startIndex, count) = ScimProtocol.Paging(request);
            var page = await users.ListAsync(filter, startIndex, count, ct);
            return ScimProtocol.Json(ScimProtocol.ListResponse(page.Resources.Select(u => ScimResources.User(u, Base(links, orgId))), page.TotalResults, startIndex));
        });
        scim.MapPost("/Users", async (HttpRequest request, ScimUserService users, string orgId, AppLinks links, CancellationToken ct) =>
        {
            var body = await ScimProtocol.ReadObjectAsync(request, ct);
            ScimProtocol.RequireSchema(body, ScimProtocol.UserSchema);
            var created = await users.CreateAsync(ScimResources.UserInput(body, activeWhenMissing: true), ct);
            return Created(ScimResources.User(created, Base(links, orgId)));
        });
        scim.MapGet("/Users/{id}", async (string id, ScimUserService users, string orgId, AppLinks links, CancellationToken ct) =>
            ScimProtocol.Json(ScimResources.User(await users.GetAsync(Id(id, "User"), ct), Base(links, orgId))));
        scim.MapPut("/Users/{id}", async (string id, HttpRequest request, ScimUserService users, string orgId, AppLinks links, CancellationToken ct) =>
        {
            var userId = Id(id, "User");
            var body = await ScimProtocol.ReadObjectAsync(request, ct);
            ScimProtocol.RequireSchema(body, ScimProtocol.UserSchema);
            var current = await users.GetAsync(userId, ct);
            var replaced = await users.ReplaceAsync(userId, ScimResources.UserInput(body, activeWhenMissing: current.Active), ct);
            return ScimProtocol.Json(ScimResources.User(replaced, Base(links, orgId)));
        });
        scim.MapPatch("/Users/{id}", async (string id, HttpRequest request, ScimUserService users, string orgId, AppLinks links, CancellationToken ct) =>
        {
            var userId = Id(id, "User");
            var body = await ScimProtocol.ReadObjectAsync(request, ct);
            var current = await users.GetAsync(userId, ct);
            var patched = await users.ReplaceAsync(userId, ScimPatch.ApplyToUser(ScimUserInput.From(current), body), ct);
            return ScimProtocol.Json(ScimResources.User(patched, Base(links, orgId)));
        });
        scim.MapDelete("/Users/{id}", async (string id, ScimUserService users, CancellationToken ct) =>
        {
            await users.DeleteAsync(Id(id, "User"), ct);
            return Results.NoContent();
        });

        scim.MapGet("/Groups", async (HttpRequest request, ScimGroupService groups, string orgId, AppLinks links, CancellationToken ct) =>
        {
            var filter = ScimProtocol.Filter(request, ScimProtocol.GroupSchema, ScimFields.DisplayName, ScimFields.ExternalId);
            var (startIndex, count) = ScimProtocol.Paging(request);
            var page = await groups.ListAsync(filter, startIndex, count, ct);
            var withMembers = !Excludes(request, "members");
            return ScimProtocol.Json(ScimProtocol.ListResponse(
                page.Resources.Select(g => ScimResources.Group(g, Base(links, orgId), withMembers)), page.TotalResults, startIndex));
        });
        scim.MapPost("/Groups", async (HttpRequest request, ScimGroupService groups, string orgId, AppLinks links, CancellationToken ct) =>
        {
            var body = await ScimProtocol.ReadObjectAsync(request, ct);
            ScimProtocol.RequireSchema(body, ScimProtocol.GroupSchema);
            return Created(ScimResources.Group(await groups.CreateAsync(ScimResources.GroupInput(body), ct), Base(links, orgId)));
        });
        scim.MapGet("/Groups/{id}", async (string id, HttpRequest request, ScimGroupService groups, string orgId, AppLinks links, CancellationToken ct) =>
            ScimProtocol.Json(ScimResources.Group(await groups.GetAsync(Id(id, "Group"), ct), Base(links, orgId), !Excludes(request, "members"))));
        scim.MapPut("/Groups/{id}", async (string id, HttpRequest request, ScimGroupService groups, string orgId, AppLinks links, CancellationToken ct) =>
        {
            var groupId = Id(id, "Group");
            var body = await ScimProtocol.ReadObjectAsync(request, ct);
            ScimProtocol.RequireSchema(body, ScimProtocol.GroupSchema);
            return ScimProtocol.Json(ScimResources.Group(await groups.ReplaceAsync(groupId, ScimResources.GroupInput(body), ct), Base(links, orgId)));
        });
        scim.MapPatch("/Groups/{id}", async (string id, HttpRequest request, ScimGroupService groups, CancellationToken ct) =>
        {
            var groupId = Id(id, "Group");
            var body = await ScimProtocol.ReadObjectAsync(request, ct);
            var current = await groups.GetAsync(groupId, ct);
            var input = new ScimGroupInput(current.DisplayName, current.ExternalId, [.. current.Members.Select(m => m.Id)]);
            await groups.ReplaceAsync(groupId, ScimPatch.ApplyToGroup(input, body), ct);
            return Results.NoContent();
        });
        scim.MapDelete("/Groups/{id}", async (string id, ScimGroupService groups, CancellationToken ct) =>
        {
            await groups.DeleteAsync(Id(id, "Group"), ct);
            return Results.NoContent();
        });

        ScimDiscovery.Map(scim);

        // Anything else under the organization's SCIM address is a SCIM 404, never the app's HTML not-found page.
        scim.Map("/{**rest}", () => ScimProtocol.ErrorResult(StatusCodes.Status404NotFound, "There is no such SCIM endpoint."));
    }

    /// <summary>The directory door: the token's identity enters its organization (allow-list first); refusals become SCIM errors.</summary>
    private static async ValueTask<object?> EnterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        try
        {
            var identity = ScimTokenAuthenticationHandler.FromPrincipal(http.User)
                ?? throw new DomainException(DomainErrorKind.Unauthenticated, "A SCIM token is required.");
            await http.RequestServices.GetRequiredService<OrganizationDoor>().EnterAsync(
                Caller.Directory(identity), Door.Directory, identity.OrganizationId, Doors.RequestCaller.AddressOf(http), ct: http.RequestAborted);
            return await next(context);
        }
        catch (DomainException error)
        {
            return ScimProtocol.ToError(error);
        }
        catch (ScimException error)
        {
            return ScimProtocol.ErrorResult(error.Status, error.Message, error.ScimType);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // An identity provider reads a SCIM error, not the app's HTML error page; the cause goes to the log only.
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ScimEndpoints))
                .LogError(error, "Unhandled error on {Method} {Path}", http.Request.Method, http.Request.Path);
            return ScimProtocol.ErrorResult(StatusCodes.Status500InternalServerError, "Something went wrong on our side. The error was logged.");
        }
    }

    private static IResult Created(JsonObject resource) =>
        new CreatedScimResource(resource);

    private static Guid Id(string id, string resource) =>
        ScimProtocol.ParseId(id) ?? throw new DomainException(DomainErrorKind.NotFound, $"{resource} not found.");

    private static bool Excludes(HttpRequest request, string attribute) =>
        request.Query["excludedAttributes"].ToString().Split(',', StringSplitOptions.TrimEntries).Contains(attribute, StringComparer.OrdinalIgnoreCase);

    /// <summary>Resource locations start with the configured public address, never with the request's Host header.</summary>
    private static string Base(AppLinks links, string orgId) => links.To($"scim/v2/{orgId}").TrimEnd('/');

    /// <summary>201 with the resource and its Location (RFC 7644 §3.3).</summary>
    private sealed class CreatedScimResource(JsonObject resource) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = resource["meta"]?["location"]?.GetValue<string>();
            return ScimProtocol.Json(resource, StatusCodes.Status201Created).ExecuteAsync(httpContext);
        }
    }
}
