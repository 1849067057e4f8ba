using System.Diagnostics;

namespace MultiOrg.Domain;

/// <summary>
/// The app's own spans (activity source <c>MultiOrg</c>): entering an organization through any door, and each run of a
/// background job. Exported with the framework's spans when <c>OpenTelemetry:Endpoint</c> is set.
/// </summary>
public static class AppTracing
{
    public const string SourceName = "MultiOrg";

    public const string OrganizationTag = "multiorg.organization.id";

    public static readonly ActivitySource Source = new(SourceName);
}
