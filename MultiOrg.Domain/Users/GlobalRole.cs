using System.Text.Json.Serialization;

namespace MultiOrg.Domain.Users;

/// <summary>A role across the whole installation, apart from any organization role.</summary>
[JsonConverter(typeof(NamesOnlyEnumConverter<GlobalRole>))]
public enum GlobalRole
{
    [JsonStringEnumMemberName("USER")]
    User = 0,

    [JsonStringEnumMemberName("SUPPORT")]
    Support = 1,

    [JsonStringEnumMemberName("ADMIN")]
    SystemAdmin = 2,
}
