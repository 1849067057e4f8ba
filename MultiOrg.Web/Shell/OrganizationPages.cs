using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Permissions;

namespace MultiOrg.Web.Shell;

/// <summary>
/// The pages every organization has, and who may open each (the role's row of <see cref="Access"/>'s table, as the
/// navigation shows them): a switch keeps the page the person is on where the new organization lets them open it.
/// </summary>
public static class OrganizationPages
{
    private static readonly Dictionary<string, Func<Abilities, OrganizationSummary, bool>> Pages = new(StringComparer.OrdinalIgnoreCase)
    {
        ["dashboard"] = Anyone,
        ["organizations"] = Anyone,
        ["members"] = Anyone,
        ["teams"] = Anyone,
        ["accounting"] = Anyone,
        ["settings"] = Anyone,
        ["partner"] = (abilities, organization) => organization.IsPartner && abilities.RoleAllows(Permission.ManageClients),
        ["api-keys"] = (abilities, _) => abilities.RoleAllows(Permission.ManageApiKeys),
        ["audit"] = (abilities, _) => abilities.RoleAllows(Permission.ViewAuditLog),
        ["billing"] = (abilities, _) => abilities.RoleAllows(Permission.ViewBilling),
        ["settings/security"] = (abilities, _) => abilities.RoleAllows(Permission.ViewSecurity),
    };

    /// <summary>
    /// Where a switch from <paramref name="currentUri"/> to <paramref name="target"/> lands: the same page there when the
    /// person's role in it may open it, else its dashboard. One thing's own page (a statement) and any query (filters,
    /// ids) belong to the organization left behind.
    /// </summary>
    public static string AfterSwitch(string currentUri, OrganizationSummary target)
    {
        var segments = new Uri(currentUri, UriKind.Absolute).AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (OrganizationRoute.Parse(currentUri) is not null && segments.Length > 2)
        {
            var page = string.Join('/', segments[2..]);
            if (Pages.TryGetValue(page, out var mayOpen) && mayOpen(new Abilities(null, target.Role, Impersonating: false), target))
            {
                return $"/organizations/{target.Id}/{page.ToLowerInvariant()}";
            }
        }

        return OrganizationRoute.Dashboard(target.Id);
    }

    private static bool Anyone(Abilities abilities, OrganizationSummary organization) => true;
}
