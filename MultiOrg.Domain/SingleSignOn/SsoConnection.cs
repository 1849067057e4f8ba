using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.SingleSignOn;

/// <summary>
/// An organization's OpenID Connect provider: people whose address is at one of its <see cref="SsoDomain"/>s sign in
/// there. At most one per organization. The client secret is kept only encrypted (ASP.NET Core Data Protection).
/// </summary>
public sealed class SsoConnection : ITenantOwned, ITimestamped
{
    public const int AuthorityMaxLength = 500;
    public const int ClientIdMaxLength = 200;
    public const int ClientSecretMaxLength = 500;

    public Guid OrganizationId { get; set; }

    /// <summary>The provider's issuer address; its discovery document is at <c>/.well-known/openid-configuration</c>.</summary>
    public required string Authority { get; set; }

    public required string ClientId { get; set; }

    /// <summary>The client secret, encrypted by <see cref="ISsoSecretProtector"/>; never shown, logged or audited.</summary>
    public required string ProtectedClientSecret { get; set; }

    public DateTime ClientSecretSetAt { get; set; }

    /// <summary>Off: the settings are kept, sign-in is by password as before.</summary>
    public bool Enabled { get; set; }

    /// <summary>People at the domains cannot sign in with a password (or a passkey): only through the provider.</summary>
    public bool Required { get; set; }

    /// <summary>The role a person gets when their first sign-in through the provider makes them a member.</summary>
    public OrganizationRole DefaultRole { get; set; } = OrganizationRole.Member;

    /// <summary>
    /// The one OWNER who may still sign in with password plus two-factor while "SSO required" binds them, for when the
    /// provider is down; named by the organization's owners. Counts only while that person is an OWNER here.
    /// </summary>
    public string? BreakGlassUserId { get; set; }

    /// <summary>When the break-glass owner last signed in with their password: the change lands in the audit log.</summary>
    public DateTime? BreakGlassUsedAt { get; set; }

    /// <summary>Which protocol the provider speaks; a SAML provider's settings are its <see cref="SamlProvider"/>.</summary>
    public SsoProtocol Protocol { get; set; } = SsoProtocol.OpenIdConnect;

    /// <summary>Raised at every save: the sign-in handler of each server is rebuilt from the new settings.</summary>
    public int Version { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>An email domain routed to an organization's provider; one of its verified domains, and no one else's provider.</summary>
public sealed class SsoDomain : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrganizationId { get; set; }

    /// <summary>Lower case, as in <see cref="Joining.VerifiedDomain.Domain"/>.</summary>
    public required string Domain { get; set; }
}

/// <summary>Encrypts the client secret for storage (Data Protection in the app); the domain never sees the key.</summary>
public interface ISsoSecretProtector
{
    string Protect(string secret);

    string Unprotect(string protectedSecret);
}
