using System.Text.Json.Serialization;

namespace MultiOrg.Domain.Organizations;

/// <summary>
/// Standard organizations stand alone (the default for every organization). Partner organizations (accounting firms)
/// create and run client organizations; a client is a standard organization linked to its partner.
/// </summary>
[JsonConverter(typeof(NamesOnlyEnumConverter<OrganizationKind>))]
public enum OrganizationKind
{
    [JsonStringEnumMemberName("STANDARD")]
    Standard = 0,

    [JsonStringEnumMemberName("PARTNER")]
    Partner = 1,
}
