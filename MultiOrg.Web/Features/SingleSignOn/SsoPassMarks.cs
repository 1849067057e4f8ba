using System.Security.Claims;

namespace MultiOrg.Web.Features.SingleSignOn;

/// <summary>
/// The session's marks of the organizations whose provider it passed: one claim per organization in the sign-in cookie,
/// so they end with the cookie. The API's password login never mints them.
/// </summary>
public static class SsoPassMarks
{
    public const string ClaimType = "multiorg:sso-passed";

    public static IReadOnlySet<Guid> From(ClaimsPrincipal? principal) =>
        principal?.FindAll(ClaimType).Select(c => Guid.TryParseExact(c.Value, "N", out var id) ? id : Guid.Empty)
            .Where(id => id != Guid.Empty).ToHashSet() ?? [];

    public static Claim For(Guid organizationId) => new(ClaimType, organizationId.ToString("N"));

    /// <summary>Carries the marks from the principal being replaced to its replacement (a security-stamp refresh).</summary>
    public static void Carry(ClaimsPrincipal? from, ClaimsIdentity to)
    {
        foreach (var mark in From(from).Where(id => !to.HasClaim(ClaimType, id.ToString("N"))))
        {
            to.AddClaim(For(mark));
        }
    }
}
