using Microsoft.AspNetCore.Components;

namespace MultiOrg.Web.Shell;

/// <summary>
/// The organization this tab works in, kept with .NET's circuit state persistence: when a paused or long-disconnected
/// circuit resumes (on this server or, through the shared cache and keys, on another), the layout enters it again,
/// checking the membership against the database first. The URL still wins where it names an organization.
/// </summary>
public sealed class PersistedOrganization
{
    [PersistentState]
    public Guid? OrganizationId { get; set; }
}
