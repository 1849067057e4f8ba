namespace MultiOrg.Domain.Security;

/// <summary>
/// A bearer refresh token that was exchanged once: presenting it again is a replay, which ends its whole family (every
/// token refreshed from the same sign-in). Kept until no token of its family that it could have issued is valid any more.
/// </summary>
public sealed class UsedRefreshToken
{
    public const int IdMaxLength = 64;

    /// <summary>The token's own id (carried in it), or the SHA-256 of the token text for tokens issued without one.</summary>
    public required string Id { get; set; }

    /// <summary>The sign-in the token descends from: every refresh hands the family on.</summary>
    public required string FamilyId { get; set; }

    public required string UserId { get; set; }

    public DateTime UsedAt { get; set; }

    /// <summary>When the refresh token issued at this use expires: after that the row can prove nothing and is purged.</summary>
    public DateTime KeepUntil { get; set; }

    /// <summary>Set on every row of the family when one of them was presented twice.</summary>
    public DateTime? FamilyEndedAt { get; set; }
}
