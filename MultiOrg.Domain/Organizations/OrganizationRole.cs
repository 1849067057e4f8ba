using System.Text.Json.Serialization;

namespace MultiOrg.Domain.Organizations;

/// <summary>A person's role inside one organization. Travels over the API as OWNER / ADMIN / MEMBER.</summary>
[JsonConverter(typeof(NamesOnlyEnumConverter<OrganizationRole>))]
public enum OrganizationRole
{
    [JsonStringEnumMemberName("MEMBER")]
    Member = 0,

    [JsonStringEnumMemberName("ADMIN")]
    Admin = 1,

    [JsonStringEnumMemberName("OWNER")]
    Owner = 2,
}

public static class OrganizationRoleNames
{
    public static string ToApiName(this OrganizationRole role) => role switch
    {
        OrganizationRole.Owner => "OWNER",
        OrganizationRole.Admin => "ADMIN",
        _ => "MEMBER",
    };
}
