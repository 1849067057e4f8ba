using System.Security.Claims;
using MultiOrg.Domain.Billing;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.FeatureSwitches;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Web.Features.Assistant;

namespace MultiOrg.Web.Doors;

/// <summary>
/// The assistant's adapter to the <see cref="OrganizationDoor"/>: each tool call comes in as the connection's person
/// (or API key), into the organization its session switched to or else its URL's, within what the grant reaches; the
/// call is gated by the Assistant feature and costs its credits.
/// </summary>
public sealed class AssistantDoor(IHttpContextAccessor httpContextAccessor, OrganizationDoor door, AssistantSessions sessions)
{
    /// <summary>Enters for one tool call; a refusal is the domain error a page or the API would show.</summary>
    public async Task EnterForToolAsync(string? sessionId, string toolName, CancellationToken ct)
    {
        var http = Http;
        var organizationId = await sessions.SwitchedOrganizationAsync(sessionId, ct)
            ?? (Guid.TryParse(http.GetRouteValue("orgId") as string, out var fromUrl) ? fromUrl : Guid.Empty);
        RequireGranted(http.User, organizationId);

        // Every tool reads: an overdue bill pauses no reading, a switched-off connection or a plan without it does. Every
        // call costs the organization credits; without enough, the call is refused before it runs.
        await door.EnterAsync(
            RequestCaller.Of(http.User), Door.Assistant, organizationId, RequestCaller.AddressOf(http),
            new Metering(Feature.Assistant, Reading: true, UsageKinds.AssistantTool, toolName), ct);
    }

    /// <summary>Moves the rest of the session into another organization the grant reaches (person connections only).</summary>
    public async Task<OrganizationSummary> SwitchAsync(string? sessionId, Guid organizationId, CancellationToken ct)
    {
        RequireGranted(Http.User, organizationId);
        var entered = await door.EnterAsync(organizationId, ct);
        await sessions.SwitchAsync(sessionId ?? throw new DomainException(DomainErrorKind.Conflict, "This connection has no session to remember the switch in."), entered.Id, ct);
        return entered;
    }

    /// <summary>Whether this connection reaches the organization: an assistant token only those its grant covers.</summary>
    public bool Reaches(Guid organizationId) => IsGranted(Http.User, organizationId);

    private HttpContext Http => httpContextAccessor.HttpContext ?? throw new InvalidOperationException("The assistant endpoint needs an HTTP request.");

    /// <summary>An assistant token reaches only the organizations its grant covers (an API key only its own: its handler).</summary>
    private static void RequireGranted(ClaimsPrincipal user, Guid organizationId)
    {
        if (!IsGranted(user, organizationId))
        {
            throw new DomainException(DomainErrorKind.Forbidden, "This assistant connection was not granted that organization: connect it again and add it on the consent page.");
        }
    }

    private static bool IsGranted(ClaimsPrincipal user, Guid organizationId) =>
        !user.HasClaim(c => c.Type == AssistantTokenHandler.GrantClaim) || user.GrantedOrganizations().Contains(organizationId);
}
