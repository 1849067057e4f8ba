using Microsoft.AspNetCore.Http.HttpResults;
using MultiOrg.Domain.Notes;
using MultiOrg.Domain.Permissions;
using MultiOrg.Web.Doors.Api;

namespace MultiOrg.Web.Features.Notes;

public sealed record AddNoteRequest(string? Text);

/// <summary>Notes of one organization: the first tenant-owned data over the API.</summary>
public static class NotesApi
{
    public static void MapNotesApi(this RouteGroupBuilder organization)
    {
        var notes = organization.MapGroup("/notes").WithTags("Notes");
        notes.MapGet("/", ListAsync).RequirePermission(Permission.UseOrganizationData).WithSummary("The organization's notes");
        notes.MapPost("/", AddAsync).RequirePermission(Permission.UseOrganizationData).WithSummary("Add a note");
        notes.MapDelete("/{noteId:guid}", DeleteAsync).RequirePermission(Permission.UseOrganizationData).WithSummary("Delete a note");
    }

    private static async Task<Ok<IReadOnlyList<NoteView>>> ListAsync(Guid orgId, NoteService notes, CancellationToken ct) =>
        TypedResults.Ok(await notes.ListAsync(ct: ct));

    private static async Task<Created<NoteView>> AddAsync(Guid orgId, AddNoteRequest request, NoteService notes, CancellationToken ct)
    {
        var note = await notes.AddAsync(request.Text, ct);
        return TypedResults.Created($"/api/organizations/{orgId}/notes/{note.Id}", note);
    }

    private static async Task<NoContent> DeleteAsync(Guid orgId, Guid noteId, NoteService notes, CancellationToken ct)
    {
        await notes.DeleteAsync(noteId, ct);
        return TypedResults.NoContent();
    }
}
