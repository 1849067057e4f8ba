using MultiOrg.Domain.Organizations;

namespace MultiOrg.Domain.Members;

/// <summary>
/// A member as the list shows them; <see cref="Teams"/> and <see cref="Departments"/> are filled by the list (page by page).
/// <see cref="Notice"/>, on an addition only: saved, but the mail telling them could not be sent.
/// </summary>
public sealed record MemberView(
    string UserId, string Email, string Name, OrganizationRole Role, DateTime JoinedAt,
    IReadOnlyList<string>? Teams = null, IReadOnlyList<string>? Departments = null, string? Notice = null);

public enum MemberSort
{
    Email,
    Name,
    Role,
    JoinedAt,
}

/// <summary>One page of the member list: search over email and name, one sort column, 1-based pages.</summary>
/// <remarks>
/// TeamId keeps the members of one team; DepartmentId those in any team of that department or a department below it;
/// Role those with that role.
/// </remarks>
public sealed record MemberQuery(
    string? Search = null, MemberSort Sort = MemberSort.Email, bool Descending = false, int Page = 1, int PageSize = 25,
    Guid? TeamId = null, Guid? DepartmentId = null, OrganizationRole? Role = null)
{
    public const int MaxPageSize = 200;
}

public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

/// <summary>What a bulk action did to one requested person.</summary>
public enum BulkMemberStatus
{
    Changed,
    Removed,

    /// <summary>Already had the requested role; nothing to write.</summary>
    Unchanged,

    /// <summary>Not a member of this organization (or of any): never touched, and nothing about them is revealed.</summary>
    NotFound,

    /// <summary>A rule refused this one person; the others in the batch were still applied.</summary>
    Refused,
}

/// <summary>Email and name are null for a person who is not a member here, so a bulk request cannot probe other organizations.</summary>
public sealed record BulkMemberOutcome(string UserId, string? Email, string? Name, BulkMemberStatus Status, string Message);

/// <summary>One outcome per distinct requested id, in the order they were asked for.</summary>
public sealed record BulkMemberResult(IReadOnlyList<BulkMemberOutcome> Outcomes)
{
    public int Applied => Outcomes.Count(o => o.Status is BulkMemberStatus.Changed or BulkMemberStatus.Removed);

    public int NotApplied => Outcomes.Count(o => o.Status is BulkMemberStatus.NotFound or BulkMemberStatus.Refused);
}

/// <summary>What to do with what a removed member owns in the organization: revoke it, or hand it to another member.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(NamesOnlyEnumConverter<OwnedItemsAction>))]
public enum OwnedItemsAction
{
    Revoke,
    HandOver,
}

public sealed record OwnedItemsChoice(OwnedItemsAction Action, string? HandOverToUserId = null);

public sealed record OwnedItem(Guid Id, string Name);

/// <summary>The API keys a member created and the open invitations they sent, as the removal dialog lists them.</summary>
public sealed record OwnedItemsView(string UserId, IReadOnlyList<OwnedItem> ApiKeys, IReadOnlyList<OwnedItem> Invitations)
{
    public bool Any => ApiKeys.Count > 0 || Invitations.Count > 0;
}
