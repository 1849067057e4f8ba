using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MultiOrg.Domain.Notes;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Domain.Users;

namespace MultiOrg.Data.Seed;

/// <summary>
/// Demo organizations and logins for a first look (Development only by default). Idempotent: it does nothing
/// once its first login exists. The README lists these logins; keep the two in step.
/// </summary>
public static class DemoData
{
    public const string Password = "Demo#2026pass";

    public static readonly IReadOnlyList<(string Email, string Name)> Logins =
    [
        ("olivia.owner@demo.multiorg.test", "Olivia Owner"),
        ("adam.admin@demo.multiorg.test", "Adam Admin"),
        ("mia.member@demo.multiorg.test", "Mia Member"),
        ("sam.solo@demo.multiorg.test", "Sam Solo"),
    ];

    public static async Task SeedAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var users = services.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByEmailAsync(Logins[0].Email) is not null)
        {
            return;
        }

        var created = new List<AppUser>();
        foreach (var (email, name) in Logins)
        {
            var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name };
            var result = await users.CreateAsync(user, Password);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"Seeding {email} failed: {string.Join("; ", result.Errors.Select(e => e.Description))}");
            }

            created.Add(user);
        }

        var (olivia, adam, mia, sam) = (created[0], created[1], created[2], created[3]);
        var provider = services.GetRequiredService<MultiOrgDbProvider>();
        await using var db = provider.Create(new TenantContext());

        var acme = Organization("Acme Corp", (olivia, OrganizationRole.Owner), (adam, OrganizationRole.Admin), (mia, OrganizationRole.Member));
        var smith = Organization("Smith Family", (olivia, OrganizationRole.Owner), (mia, OrganizationRole.Admin));
        var side = Organization("Side Project LLC", (adam, OrganizationRole.Owner), (olivia, OrganizationRole.Member));
        var studio = Organization("Solo Studio", (sam, OrganizationRole.Owner));
        db.Organizations.AddRange(acme, smith, side, studio);
        await db.SaveChangesAsync(ct);

        await db.Users.Where(u => u.Id == olivia.Id || u.Id == mia.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.LastOrganizationId, acme.Id), ct);
        await db.Users.Where(u => u.Id == adam.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.LastOrganizationId, side.Id), ct);
        await db.Users.Where(u => u.Id == sam.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.LastOrganizationId, studio.Id), ct);

        await AddNoteAsync(provider, acme.Id, olivia.Id, "Quarter-end close starts on the 28th. Invoices before then, please.", ct);
        await AddNoteAsync(provider, smith.Id, olivia.Id, "Household budget review every first Sunday.", ct);
    }

    private static Organization Organization(string name, params (AppUser User, OrganizationRole Role)[] members)
    {
        var organization = new Organization { Name = name };
        foreach (var (user, role) in members)
        {
            organization.Members.Add(new OrganizationMember { UserId = user.Id, Role = role });
        }

        return organization;
    }

    private static async Task AddNoteAsync(MultiOrgDbProvider provider, Guid organizationId, string authorId, string text, CancellationToken ct)
    {
        // Tenant-owned rows are written under their own tenant, as everywhere else.
        var tenant = new TenantContext();
        tenant.SetUser(authorId);
        tenant.Enter(organizationId, "", OrganizationRole.Owner);
        await using var db = provider.Create(tenant);
        db.OrganizationNotes.Add(new OrganizationNote { Text = text, AuthorUserId = authorId });
        await db.SaveChangesAsync(ct);
    }
}
