namespace MultiOrg.Domain.Organizations;

/// <summary>The one order organizations are shown in everywhere (switcher, lists, API): alphabetical, case-insensitive.</summary>
public static class OrganizationOrdering
{
    public static IReadOnlyList<OrganizationSummary> Sort(IEnumerable<OrganizationSummary> organizations) =>
        [.. organizations.OrderBy(o => o.Name, StringComparer.CurrentCultureIgnoreCase).ThenBy(o => o.Id)];
}
