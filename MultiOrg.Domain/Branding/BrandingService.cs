using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Branding;

public sealed record BrandingView(string? PrimaryColor, bool HasLogo, long LogoVersion, string InvitationSubject, string InvitationBody, bool IsCustomTemplate, bool CanEdit);

/// <summary>What the shell needs to dress the app in the organization's colours.</summary>
public sealed record ThemeBranding(Guid OrganizationId, string? PrimaryColor, long? LogoVersion);

public sealed record LogoFile(byte[] Content, string ContentType, long Version);

public sealed record InvitationPreviewText(string Subject, string Body);

/// <summary>The current organization's logo, primary colour and invitation email template.</summary>
public sealed class BrandingService(IMultiOrgDbFactory dbFactory, TenantContext tenant, ILogoImages images, TimeProvider time)
{
    public async Task<BrandingView> GetAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var me = await db.RequireAsync(tenant, Permission.ViewOrganization, ct);
        var b = await db.Set<OrganizationBranding>().AsNoTracking()
            .Select(b => new { b.PrimaryColor, HasLogo = b.Logo != null, b.UpdatedAt, b.InvitationSubject, b.InvitationBody })
            .SingleOrDefaultAsync(ct);
        return new BrandingView(
            b?.PrimaryColor, b?.HasLogo == true, b?.UpdatedAt.Ticks ?? 0,
            b?.InvitationSubject ?? InvitationTemplate.DefaultSubject, b?.InvitationBody ?? InvitationTemplate.DefaultBody,
            b?.InvitationSubject is not null, me.May(Permission.EditOrganization));
    }

    public async Task<ThemeBranding> GetThemeAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var me = await db.RequireAsync(tenant, Permission.ViewOrganization, ct);
        var b = await db.Set<OrganizationBranding>().AsNoTracking()
            .Select(b => new { b.PrimaryColor, HasLogo = b.Logo != null, b.UpdatedAt })
            .SingleOrDefaultAsync(ct);
        return new ThemeBranding(me.OrganizationId, b?.PrimaryColor, b?.HasLogo == true ? b.UpdatedAt.Ticks : null);
    }

    public async Task<LogoFile?> GetLogoAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await db.RequireAsync(tenant, Permission.ViewOrganization, ct);
        var b = await db.Set<OrganizationBranding>().AsNoTracking().Where(b => b.Logo != null)
            .Select(b => new { b.Logo, b.LogoContentType, b.UpdatedAt }).SingleOrDefaultAsync(ct);
        return b is null ? null : new LogoFile(b.Logo!, b.LogoContentType ?? "application/octet-stream", b.UpdatedAt.Ticks);
    }

    /// <summary>
    /// PNG or JPEG up to 512 KB, recognised by its content whatever the file is called, then decoded and stored as the
    /// image library's own encoding (after the permission check, so only editors make the server decode).
    /// </summary>
    public async Task SetLogoAsync(byte[]? content, CancellationToken ct = default)
    {
        BrandingRules.LogoContentType(content ?? []);
        await ChangeAsync(b =>
        {
            var logo = images.ReEncode(content!);
            (b.Logo, b.LogoContentType) = (logo.Content, logo.ContentType);
        }, ct);
    }

    public Task RemoveLogoAsync(CancellationToken ct = default) => ChangeAsync(b => (b.Logo, b.LogoContentType) = (null, null), ct);

    /// <summary>Null or blank goes back to the product's colour.</summary>
    public Task SetPrimaryColorAsync(string? hex, CancellationToken ct = default)
    {
        var color = string.IsNullOrWhiteSpace(hex) ? null : BrandingRules.PrimaryColor(hex);
        return ChangeAsync(b => b.PrimaryColor = color, ct);
    }

    public Task SetInvitationTemplateAsync(string? subject, string? body, CancellationToken ct = default)
    {
        var (s, b) = InvitationTemplate.Validate(subject, body);
        return ChangeAsync(x => (x.InvitationSubject, x.InvitationBody) = (s, b), ct);
    }

    public Task ResetInvitationTemplateAsync(CancellationToken ct = default) =>
        ChangeAsync(x => (x.InvitationSubject, x.InvitationBody) = (null, null), ct);

    /// <summary>The email as an invitee would read it, with sample values; validates like saving does.</summary>
    public async Task<InvitationPreviewText> PreviewInvitationAsync(string? subject, string? body, CancellationToken ct = default)
    {
        var (s, b) = InvitationTemplate.Validate(subject, body);
        await using var db = dbFactory.Create();
        var me = await db.RequireAsync(tenant, Permission.ViewOrganization, ct);
        var organization = await db.Organizations.Where(o => o.Id == me.OrganizationId).Select(o => o.Name).SingleAsync(ct);
        var inviter = await db.Users.Where(u => u.Id == me.UserId).Select(u => u.DisplayName ?? u.Email ?? "").SingleAsync(ct);
        var values = InvitationTemplate.Sample(organization, inviter, time.GetUtcNow().UtcDateTime);
        return new InvitationPreviewText(InvitationTemplate.Render(s, values), InvitationTemplate.Render(b, values));
    }

    /// <summary>The organization's template, or null for the default (read by the invitation service for its letters).</summary>
    internal static async Task<(string Subject, string Body)?> TemplateAsync(IMultiOrgDb db, CancellationToken ct)
    {
        var b = await db.Set<OrganizationBranding>().AsNoTracking().Where(b => b.InvitationSubject != null && b.InvitationBody != null)
            .Select(b => new { b.InvitationSubject, b.InvitationBody }).SingleOrDefaultAsync(ct);
        return b is null ? null : (b.InvitationSubject!, b.InvitationBody!);
    }

    private async Task ChangeAsync(Action<OrganizationBranding> change, CancellationToken ct)
    {
        await using var db = dbFactory.Create();
        await db.RequireAsync(tenant, Permission.EditOrganization, ct);
        var branding = await db.Set<OrganizationBranding>().SingleOrDefaultAsync(ct);
        if (branding is null)
        {
            branding = new OrganizationBranding();
            db.Set<OrganizationBranding>().Add(branding);
        }

        change(branding);
        await db.SaveChangesAsync(ct);
    }
}
