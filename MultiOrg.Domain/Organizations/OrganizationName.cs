using MultiOrg.Domain.Errors;

namespace MultiOrg.Domain.Organizations;

/// <summary>The one rule for organization names: trimmed, required, at most 200 characters, stored as typed.</summary>
public static class OrganizationName
{
    public static string Normalize(string? name)
    {
        var trimmed = name?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            throw DomainException.Invalid("name", "Name is required.");
        }

        if (trimmed.Length > Organization.NameMaxLength)
        {
            throw DomainException.Invalid("name", $"Name must be at most {Organization.NameMaxLength} characters.");
        }

        return trimmed;
    }
}
