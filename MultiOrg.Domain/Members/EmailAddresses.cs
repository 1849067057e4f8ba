using System.Net.Mail;

namespace MultiOrg.Domain.Members;

/// <summary>The one rule for what counts as an email address here, and the domain part of one.</summary>
public static class EmailAddresses
{
    public const int MaxLength = 256;

    /// <summary>A single plain address (no display name, no list), as typed after trimming.</summary>
    public static bool IsValid(string trimmed) =>
        trimmed.Length is > 0 and <= MaxLength && MailAddress.TryCreate(trimmed, out var address) && address.Address == trimmed;

    /// <summary>The lower-case domain of an address, or "" when it has none.</summary>
    public static string DomainOf(string? email)
    {
        var at = email?.LastIndexOf('@') ?? -1;
        return at < 0 ? "" : email![(at + 1)..].Trim().ToLowerInvariant();
    }
}
