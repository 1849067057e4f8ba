using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Branding;

/// <summary>
/// An organization's logo, primary colour and invitation email template. A row of its own, so the logo's bytes are
/// read only when the logo is asked for, never with every organization query.
/// </summary>
public sealed class OrganizationBranding : ITenantOwned, ITimestamped
{
    public const int MaxLogoBytes = 512 * 1024;
    public const int SubjectMaxLength = 200;
    public const int BodyMaxLength = 4000;

    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrganizationId { get; set; }

    public byte[]? Logo { get; set; }

    /// <summary>image/png or image/jpeg, as read from the content's first bytes.</summary>
    public string? LogoContentType { get; set; }

    /// <summary>"#rrggbb", lower case; null for the product's own colour.</summary>
    public string? PrimaryColor { get; set; }

    public string? InvitationSubject { get; set; }

    public string? InvitationBody { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}
