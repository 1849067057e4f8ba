using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.SingleSignOn;

public enum SsoProtocol
{
    OpenIdConnect,
    Saml,
}

/// <summary>
/// An organization's SAML 2.0 identity provider, read from the metadata its owner uploaded; the organization's
/// <see cref="SsoConnection"/> (protocol SAML) holds what both protocols share: domains, on/off, required, default role.
/// </summary>
public sealed class SamlProvider : ITenantOwned, ITimestamped
{
    public const int EntityIdMaxLength = 500;
    public const int UrlMaxLength = 1000;
    public const int CertificateMaxLength = 8000;
    public const int AttributeMaxLength = 300;

    public Guid OrganizationId { get; set; }

    /// <summary>The IdP's entity id: the Issuer every response must carry.</summary>
    public required string IdpEntityId { get; set; }

    /// <summary>Where AuthnRequests go (the IdP's HTTP-Redirect single sign-on endpoint).</summary>
    public required string IdpSsoUrl { get; set; }

    /// <summary>The IdP's signing certificate (base64 DER): the only key a response's signature is checked against.</summary>
    public required string IdpCertificate { get; set; }

    /// <summary>The address the metadata was read from, when the owner gave one (shown, and read again on a new save).</summary>
    public string? MetadataUrl { get; set; }

    /// <summary>Responses the IdP sends unasked (IdP-initiated sign-in) are accepted: off by default.</summary>
    public bool IdpInitiated { get; set; }

    /// <summary>The attribute holding the email address; null: the usual names (mail, emailaddress claim, urn:oid:…3).</summary>
    public string? EmailAttribute { get; set; }

    /// <summary>The attribute holding the display name; null: the usual names (displayName, name claim, urn:oid:…241).</summary>
    public string? NameAttribute { get; set; }

    /// <summary>MultiOrg's signing key pair for this organization (PKCS#12, encrypted by <see cref="ISsoSecretProtector"/>).</summary>
    public required string ProtectedSpKey { get; set; }

    /// <summary>The public half of <see cref="ProtectedSpKey"/> (base64 DER), shown in the SP metadata.</summary>
    public required string SpCertificate { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>
/// A SAML message id remembered by every server (the database): an AuthnRequest this server sent (consumed by the
/// response that answers it) or an assertion already accepted (refused a second time). Kept until it would expire anyway.
/// </summary>
public sealed class SamlMessageId
{
    public const int KeyMaxLength = 600;

    /// <summary><c>request:{organization}:{id}</c> or <c>assertion:{organization}:{issuer}:{id}</c>.</summary>
    public required string Key { get; set; }

    public DateTime ExpiresAt { get; set; }
}
