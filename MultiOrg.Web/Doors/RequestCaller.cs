using System.Security.Claims;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Web.Features.ApiKeys;
using MultiOrg.Web.Features.SingleSignOn;

namespace MultiOrg.Web.Doors;

/// <summary>Reads a request's principal and address for the door: the one place a claims principal becomes a <see cref="Caller"/>.</summary>
internal static class RequestCaller
{
    /// <summary>An organization's API key, or the person (with the organizations whose identity provider they passed).</summary>
    public static Caller Of(ClaimsPrincipal user) =>
        ApiKeyAuthenticationHandler.FromPrincipal(user) is { } key ? Caller.Key(key) : PersonOf(user);

    public static Caller PersonOf(ClaimsPrincipal? user) =>
        Caller.Person(user?.FindFirstValue(ClaimTypes.NameIdentifier), SsoPassMarks.From(user));

    public static string? AddressOf(HttpContext http) => http.Connection.RemoteIpAddress?.ToString();

    /// <summary>
    /// A person on an account page (static rendering): acts for themselves in no organization, from the request's address.
    /// Their single sign-on marks are not carried: no account page enters an organization's pages.
    /// </summary>
    public static void AdmitPerson(this OrganizationDoor door, HttpContext http, string? userId) =>
        door.Admit(Caller.Person(userId), Door.Page, AddressOf(http));

    /// <inheritdoc cref="AdmitPerson(OrganizationDoor, HttpContext, string?)"/>
    public static void AdmitPerson(this OrganizationDoor door, HttpContext http) =>
        door.AdmitPerson(http, http.User.FindFirstValue(ClaimTypes.NameIdentifier));
}
