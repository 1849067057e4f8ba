using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Notes;

public sealed record NoteView(Guid Id, string Text, string AuthorUserId, string AuthorName, DateTime CreatedAt);

/// <summary>Notes of the current organization. Relies on the tenant filter alone to keep other organizations' notes out.</summary>
public sealed class NoteService(IMultiOrgDbFactory dbFactory, TenantContext tenant)
{
    public async Task<IReadOnlyList<NoteView>> ListAsync(int take = 50, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await db.RequireAsync(tenant, Permission.UseOrganizationData, ct);
        return await db.OrganizationNotes
            .OrderByDescending(n => n.CreatedAt)
            .Take(Math.Clamp(take, 1, 200))
            .Select(n => new NoteView(
                n.Id,
                n.Text,
                n.AuthorUserId,
                db.Users.Where(u => u.Id == n.AuthorUserId).Select(u => u.DisplayName ?? u.Email ?? u.Id).FirstOrDefault() ?? "",
                n.CreatedAt))
            .ToListAsync(ct);
    }

    public async Task<NoteView> AddAsync(string? text, CancellationToken ct = default)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            throw DomainException.Invalid("text", "Text is required.");
        }

        if (trimmed.Length > OrganizationNote.TextMaxLength)
        {
            throw DomainException.Invalid("text", $"Text must be at most {OrganizationNote.TextMaxLength} characters.");
        }

        await using var db = dbFactory.Create();
        var me = await db.RequireAsync(tenant, Permission.UseOrganizationData, ct);
        var note = new OrganizationNote { Text = trimmed, AuthorUserId = me.UserId };
        db.OrganizationNotes.Add(note);
        await db.SaveChangesAsync(ct);
        var author = await db.Users.Where(u => u.Id == me.UserId).Select(u => u.DisplayName ?? u.Email).FirstOrDefaultAsync(ct);
        return new NoteView(note.Id, note.Text, note.AuthorUserId, author ?? me.UserId, note.CreatedAt);
    }

    /// <summary>Authors delete their own notes; owners and admins delete any note of their organization.</summary>
    public async Task DeleteAsync(Guid noteId, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var me = await db.RequireAsync(tenant, Permission.UseOrganizationData, ct);
        var note = await db.OrganizationNotes.SingleOrDefaultAsync(n => n.Id == noteId, ct)
            ?? throw new DomainException(DomainErrorKind.NotFound, "Note not found.");
        if (note.AuthorUserId != me.UserId && me.Role == OrganizationRole.Member)
        {
            throw new DomainException(DomainErrorKind.Forbidden, "Only the author, an owner or an admin can delete this note.");
        }

        db.OrganizationNotes.Remove(note);
        await db.SaveChangesAsync(ct);
    }
}
