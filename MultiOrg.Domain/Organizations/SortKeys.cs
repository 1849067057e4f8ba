using MultiOrg.Domain.Users;

namespace MultiOrg.Domain.Organizations;

/// <summary>How a member sorts and is found: upper-cased in .NET (so "müller" finds "Müller", which SQLite's upper() cannot).</summary>
public static class SortKeys
{
    public const int MaxLength = 256;

    public static string Email(AppUser user) => Clip((user.NormalizedEmail ?? user.Email ?? "").ToUpperInvariant());

    public static string Name(AppUser user) => Clip((string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email ?? "" : user.DisplayName).ToUpperInvariant());

    private static string Clip(string value) => value.Length <= MaxLength ? value : value[..MaxLength];
}
