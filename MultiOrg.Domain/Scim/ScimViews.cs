namespace MultiOrg.Domain.Scim;

/// <summary>A SCIM User as the service returns it; <see cref="Email"/> is the account's address.</summary>
public sealed record ScimUserView(
    Guid Id, string UserName, string? ExternalId, string? GivenName, string? FamilyName, string? DisplayName, string Email, bool Active,
    DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>What the identity provider says about a person (a create, a PUT, or the result of a PATCH).</summary>
public sealed record ScimUserInput(string? UserName, string? ExternalId, string? GivenName, string? FamilyName, string? DisplayName, string? Email, bool Active)
{
    public static ScimUserInput From(ScimUserView user) =>
        new(user.UserName, user.ExternalId, user.GivenName, user.FamilyName, user.DisplayName, user.Email, user.Active);
}

/// <summary>A SCIM Group: a team; <see cref="Members"/> are the SCIM User ids of the provisioned people in it.</summary>
public sealed record ScimGroupView(Guid Id, string DisplayName, string? ExternalId, IReadOnlyList<ScimMemberRef> Members, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record ScimMemberRef(Guid Id, string Display);

public sealed record ScimGroupInput(string? DisplayName, string? ExternalId, IReadOnlyCollection<Guid> Members);

/// <summary>The one filter form served: <c>attribute eq "value"</c> on an attribute the resource can be found by.</summary>
public sealed record ScimFilter(string Attribute, string Value);

/// <summary>One page of a list, with the total before paging (SCIM's 1-based startIndex).</summary>
public sealed record ScimPage<T>(IReadOnlyList<T> Resources, int TotalResults, int StartIndex);

/// <summary>The SCIM names the domain's refusals carry as their field, so the protocol layer can say scimType.</summary>
public static class ScimFields
{
    public const string Seats = "seats";
    public const string UserName = "userName";
    public const string ExternalId = "externalId";
    public const string DisplayName = "displayName";
    public const string Emails = "emails";

    /// <summary>The filter attribute OneLogin, Google Workspace and the compliance suites look people up by: the account's address.</summary>
    public const string EmailsValue = "emails.value";
    public const string Members = "members";

    /// <summary>The most resources one list answers (ServiceProviderConfig's filter.maxResults).</summary>
    public const int MaxResults = 100;
}
