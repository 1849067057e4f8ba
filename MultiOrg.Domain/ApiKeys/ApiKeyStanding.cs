using MultiOrg.Domain.Organizations;

namespace MultiOrg.Domain.ApiKeys;

/// <summary>Why a key is refused right now, or <see cref="None"/> while it works.</summary>
public enum ApiKeyRefusal
{
    None,
    Revoked,
    Expired,

    /// <summary>Its creator is neither a member of the key's organization nor staff of the partner that manages it.</summary>
    CreatorHasNoAccess,
    CreatorLockedOut,
    CreatorDeleted,
}

/// <summary>
/// What a key may do right now: the lower of its own role and its creator's standing in its organization, read from
/// the database at each use; <see cref="EffectiveRole"/> is null whenever <see cref="Refusal"/> says why not.
/// </summary>
public sealed record ApiKeyStanding(OrganizationRole? EffectiveRole, ApiKeyRefusal Refusal)
{
    public bool Works => Refusal == ApiKeyRefusal.None;

    public static ApiKeyStanding Refused(ApiKeyRefusal why) => new(null, why);
}
