namespace MultiOrg.Domain.Organizations;

/// <summary>
/// The one order organizations are shown in everywhere (switcher, lists, API): partner organizations first, then
/// every other organization alphabetically (case-insensitive).
/// </summary>
public static class OrganizationOrdering
{
    public static IReadOnlyList<OrganizationSummary> Sort(IEnumerable<OrganizationSummary> organizations) =>
        [.. organizations
            .OrderBy(o => o.IsPartner ? 0 : 1)
            .ThenBy(o => o.Name, StringComparer.CurrentCultureIgnoreCase)
            .ThenBy(o => o.Id)];
}
