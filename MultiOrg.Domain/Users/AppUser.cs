using Microsoft.AspNetCore.Identity;

namespace MultiOrg.Domain.Users;

/// <summary>A person who signs in. Belongs to organizations through memberships.</summary>
public sealed class AppUser : IdentityUser
{
    public const int DisplayNameMaxLength = 100;

    public string? DisplayName { get; set; }

    /// <summary>Where a new tab starts. Deliberately not a foreign key: the organization may be gone.</summary>
    public Guid? LastOrganizationId { get; set; }

    /// <summary>The person's theme choice; null follows the operating system.</summary>
    public bool? PrefersDarkMode { get; set; }

    public GlobalRole GlobalRole { get; set; } = GlobalRole.User;

    /// <summary>Stamped by the save that adds the person, unless the caller set it.</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>When the password was last set; an organization whose rules became stricter since asks for a new one.</summary>
    public DateTime? PasswordChangedAt { get; set; }

    public string Name => string.IsNullOrWhiteSpace(DisplayName) ? Email ?? UserName ?? Id : DisplayName;
}
