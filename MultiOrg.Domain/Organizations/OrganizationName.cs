using MultiOrg.Domain.Text;

namespace MultiOrg.Domain.Organizations;

/// <summary>The one rule for organization names: trimmed, composed, required, at most 200 characters, no control codes.</summary>
public static class OrganizationName
{
    public static string Normalize(string? name) => UserText.Name(name, "name", "Name", Organization.NameMaxLength);
}
