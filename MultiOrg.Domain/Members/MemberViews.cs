using MultiOrg.Domain.Organizations;

namespace MultiOrg.Domain.Members;

public sealed record MemberView(string UserId, string Email, string Name, OrganizationRole Role, DateTime JoinedAt);

public enum MemberSort
{
    Email,
    Name,
    Role,
    JoinedAt,
}

/// <summary>One page of the member list: search over email and name, one sort column, 1-based pages.</summary>
public sealed record MemberQuery(string? Search = null, MemberSort Sort = MemberSort.Email, bool Descending = false, int Page = 1, int PageSize = 25)
{
    public const int MaxPageSize = 200;
}

public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);
