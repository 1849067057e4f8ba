using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Domain.Users;

namespace MultiOrg.Domain.Support;

/// <summary>The one check for actions only support staff take (credit adjustments, recorded payments): a person, never an API key.</summary>
internal static class SupportStaff
{
    public static async Task RequireAsync(IMultiOrgDb db, TenantContext tenant, string userId, string refusal, CancellationToken ct)
    {
        var role = await db.Users.Where(u => u.Id == userId).Select(u => u.GlobalRole).FirstOrDefaultAsync(ct);
        if (tenant.ApiKey is not null || role is not (GlobalRole.Support or GlobalRole.SystemAdmin))
        {
            throw new DomainException(DomainErrorKind.Forbidden, refusal);
        }
    }
}
