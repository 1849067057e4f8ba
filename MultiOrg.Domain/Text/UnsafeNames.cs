using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Text;

/// <summary>
/// A stored name that breaks <see cref="UserText"/>: written before the rule, or past it. <paramref name="Rule"/> names the
/// offending character by its code point, never the character itself, so the report is safe in a log or a page;
/// <paramref name="Visible"/> is the name with each such character spelled out ("Acme[U+202E]proC") for the owners' page.
/// </summary>
public sealed record UnsafeName(string Kind, string Id, Guid? OrganizationId, string Rule, string Visible);

/// <summary>
/// Finds stored names (organization, team, department, API key, display name, invitation template subject) that break
/// the name rule: all of them for the start-up check's log, or the current organization's for its Settings page.
/// </summary>
public sealed class UnsafeNames(IMultiOrgDbFactory dbFactory, TenantContext tenant)
{
    public const string Organization = "organization";
    public const string Team = "team";
    public const string Department = "department";
    public const string ApiKey = "API key";
    public const string DisplayName = "display name";
    public const string InvitationSubject = "invitation template subject";

    private static readonly string[] TenantOnly = [TenantFilter.Name];

    /// <summary>Every organization's names and every person's display name, read across tenants once at start-up.</summary>
    public async Task<IReadOnlyList<UnsafeName>> ScanAllAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        return await ScanAsync(db, organizationId: null, ct);
    }

    /// <summary>The current organization's names to rename, and its members' display names, for those who may rename.</summary>
    public async Task<IReadOnlyList<UnsafeName>> ForCurrentOrganizationAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var me = await db.RequireToReadAsync(tenant, Permission.EditOrganization, ct);
        return await ScanAsync(db, me.OrganizationId, ct);
    }

    private static async Task<IReadOnlyList<UnsafeName>> ScanAsync(IMultiOrgDb db, Guid? organizationId, CancellationToken ct)
    {
        var all = organizationId is null;
        var found = new List<UnsafeName>();
        void Check(string kind, string id, Guid? organization, string? name, int maxLength)
        {
            if (UserText.Problem(name, Label(kind), maxLength, out _) is { } rule)
            {
                found.Add(new UnsafeName(kind, id, organization, rule, Spelled(name ?? "")));
            }
        }

        foreach (var o in await db.Organizations.AsNoTracking().Where(o => all || o.Id == organizationId).Select(o => new { o.Id, o.Name }).ToListAsync(ct))
        {
            Check(Organization, o.Id.ToString(), o.Id, o.Name, Organizations.Organization.NameMaxLength);
        }

        foreach (var t in await Owned<Teams.Team>(db, all).Select(t => new { t.Id, t.OrganizationId, t.Name }).ToListAsync(ct))
        {
            Check(Team, t.Id.ToString(), t.OrganizationId, t.Name, Teams.Team.NameMaxLength);
        }

        foreach (var d in await Owned<Teams.Department>(db, all).Select(d => new { d.Id, d.OrganizationId, d.Name }).ToListAsync(ct))
        {
            Check(Department, d.Id.ToString(), d.OrganizationId, d.Name, Teams.Department.NameMaxLength);
        }

        foreach (var k in await Owned<ApiKeys.ApiKey>(db, all).Where(k => k.RevokedAt == null).Select(k => new { k.Id, k.OrganizationId, k.Name }).ToListAsync(ct))
        {
            Check(ApiKey, k.Id.ToString(), k.OrganizationId, k.Name, ApiKeys.ApiKey.NameMaxLength);
        }

        foreach (var b in await Owned<Branding.OrganizationBranding>(db, all).Where(b => b.InvitationSubject != null)
                     .Select(b => new { b.Id, b.OrganizationId, b.InvitationSubject }).ToListAsync(ct))
        {
            Check(InvitationSubject, b.Id.ToString(), b.OrganizationId, b.InvitationSubject, Branding.OrganizationBranding.SubjectMaxLength);
        }

        var people = db.Users.AsNoTracking().Where(u => u.DisplayName != null);
        if (organizationId is { } only)
        {
            people = people.Where(u => db.OrganizationMembers.Any(m => m.OrganizationId == only && m.UserId == u.Id));
        }

        await foreach (var u in people.Select(u => new { u.Id, u.DisplayName }).AsAsyncEnumerable().WithCancellation(ct))
        {
            Check(DisplayName, u.Id, organizationId, u.DisplayName, Users.AppUser.DisplayNameMaxLength);
        }

        return found;
    }

    // The start-up check reads every organization's rows (no tenant exists yet); Settings reads its own through the filter.
    private static IQueryable<T> Owned<T>(IMultiOrgDb db, bool all)
        where T : class, ITenantOwned =>
        all ? db.Set<T>().IgnoreQueryFilters(TenantOnly).AsNoTracking() : db.Set<T>().AsNoTracking();

    private static string Spelled(string name)
    {
        var visible = string.Concat(name.Select(c => UserText.FirstForbidden(c.ToString()) is null
            ? c.ToString()
            : $"[U+{((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture)}]"));
        return visible.Length > 120 ? visible[..120] + "…" : visible;
    }

    private static string Label(string kind) => char.ToUpperInvariant(kind[0]) + kind[1..];
}
