using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Users;

/// <summary>Per-person settings that follow them to every device (stored, not kept in a cookie or in memory).</summary>
public sealed class UserPreferenceService(IMultiOrgDbFactory dbFactory, TenantContext tenant)
{
    public async Task<bool?> GetDarkModeAsync(CancellationToken ct = default)
    {
        var userId = tenant.RequireUser();
        await using var db = dbFactory.Create();
        return await db.Users.Where(u => u.Id == userId).Select(u => u.PrefersDarkMode).SingleOrDefaultAsync(ct);
    }

    public async Task SetDarkModeAsync(bool? prefersDarkMode, CancellationToken ct = default)
    {
        var userId = tenant.RequireUser();
        await using var db = dbFactory.Create();
        await db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.PrefersDarkMode, prefersDarkMode), ct);
    }
}
