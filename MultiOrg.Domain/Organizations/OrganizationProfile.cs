using System.Text.Json.Serialization;

namespace MultiOrg.Domain.Organizations;

/// <summary>What kind of body an organization is (the profile's "type").</summary>
[JsonConverter(typeof(NamesOnlyEnumConverter<OrganizationType>))]
public enum OrganizationType
{
    Company,
    Educational,
    ProfessionalServices,
    Community,
}

/// <summary>Who may find an organization: Private (invite only, default), Public (listed in the directory), Hidden (never listed, invitation only).</summary>
[JsonConverter(typeof(NamesOnlyEnumConverter<OrganizationVisibility>))]
public enum OrganizationVisibility
{
    Private = 0,
    Public = 1,
    Hidden = 2,
}

/// <summary>The public face of an organization: read by every member, edited by OWNERs and ADMINs.</summary>
public sealed record OrganizationProfile(
    string? Description,
    OrganizationType? Type,
    string? Website,
    ContactDetails Contact,
    ContactDetails BillingContact);

public sealed record ContactDetails(string? Name = null, string? Email = null, string? Phone = null, string? Address = null);

/// <summary>The profile as a member reads it, with whether they may edit it.</summary>
public sealed record OrganizationProfileView(Guid Id, string Name, OrganizationProfile Profile, bool CanEdit);
