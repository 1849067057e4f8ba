using System.Text.Json.Serialization;

namespace MultiOrg.Domain.Joining;

/// <summary>
/// How an organization takes people who ask to join by themselves (today: people whose confirmed email is at one of
/// its verified domains). Invitations work in every mode. See docs/decisions/0008.
/// </summary>
[JsonConverter(typeof(NamesOnlyEnumConverter<MembershipMode>))]
public enum MembershipMode
{
    /// <summary>Nobody joins by themselves; owners and admins invite.</summary>
    InviteOnly = 0,

    /// <summary>A person who may join files a request; an owner or admin approves or rejects it.</summary>
    ApprovalRequired = 1,

    /// <summary>A person who may join becomes a MEMBER at once.</summary>
    Open = 2,
}
