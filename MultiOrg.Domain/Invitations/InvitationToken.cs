using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace MultiOrg.Domain.Invitations;

/// <summary>The secret in an invitation link: 256 random bits, URL-safe; the database keeps only its SHA-256 hash.</summary>
public static class InvitationToken
{
    public static (string Token, byte[] Hash) New()
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (token, Hash(token));
    }

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>A presented token worth looking up: the shape <see cref="New"/> makes, nothing longer.</summary>
    public static bool LooksValid(string? token) => token is { Length: 43 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
