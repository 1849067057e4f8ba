namespace MultiOrg.Web.Shell;

/// <summary>Everything organization-scoped lives under /organizations/{orgId}/…; this reads the id from a URL.</summary>
public static class OrganizationRoute
{
    public static Guid? Parse(string uri)
    {
        var path = new Uri(uri, UriKind.Absolute).AbsolutePath;
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length >= 2 && segments[0].Equals("organizations", StringComparison.OrdinalIgnoreCase)
            && Guid.TryParse(segments[1], out var id)
            ? id
            : null;
    }

    public static string Dashboard(Guid organizationId) => $"/organizations/{organizationId}/dashboard";

    public static string Members(Guid organizationId) => $"/organizations/{organizationId}/members";

    public static string Settings(Guid organizationId) => $"/organizations/{organizationId}/settings";

    public static string Organizations(Guid organizationId) => $"/organizations/{organizationId}/organizations";

    public static string Accounting(Guid organizationId) => $"/organizations/{organizationId}/accounting";

    public static string ApiKeys(Guid organizationId) => $"/organizations/{organizationId}/api-keys";

    public static string Audit(Guid organizationId) => $"/organizations/{organizationId}/audit";

    public static string Billing(Guid organizationId) => $"/organizations/{organizationId}/billing";

    public static string Security(Guid organizationId) => $"/organizations/{organizationId}/settings/security";

    public static string Teams(Guid organizationId) => $"/organizations/{organizationId}/teams";

    public static string Logo(Guid organizationId, long version) => $"/organizations/{organizationId}/logo?v={version}";

    public const string New = "/organizations/new";

    public const string Directory = "/directory";
}
