using Microsoft.AspNetCore.DataProtection;
using MultiOrg.Domain.SingleSignOn;

namespace MultiOrg.Web.Features.SingleSignOn;

/// <summary>
/// Client secrets encrypted with ASP.NET Core Data Protection, whose keys live in the database (shared by every server)
/// and are themselves protected at rest by the host's key encryption where configured.
/// </summary>
public sealed class DataProtectionSsoSecretProtector(IDataProtectionProvider provider) : ISsoSecretProtector
{
    private readonly IDataProtector protector = provider.CreateProtector("MultiOrg.SingleSignOn.ClientSecret.v1");

    public string Protect(string secret) => protector.Protect(secret);

    public string Unprotect(string protectedSecret) => protector.Unprotect(protectedSecret);
}
