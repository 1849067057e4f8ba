namespace MultiOrg.Domain.Security;

/// <summary>
/// One signed-in browser of a person: kept in the database (not in a server's memory) so every server sees a session
/// signed out on another, and the person can see where they are signed in.
/// </summary>
public sealed class UserSession
{
    public const int DeviceMaxLength = 200;

    public Guid Id { get; set; } = Guid.CreateVersion7();

    public required string UserId { get; set; }

    /// <summary>The browser's own description (User-Agent), shortened.</summary>
    public string Device { get; set; } = "";

    public string? Address { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime LastSeenAt { get; set; }

    public DateTime? EndedAt { get; set; }
}
