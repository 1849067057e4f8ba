using System.Collections.Concurrent;

namespace MultiOrg.Web.Assistant;

/// <summary>
/// The organization an assistant session switched to ("switch organizations within a single AI session by asking").
/// Keyed by MCP session id; a session that never switched works in the organization of its connection URL.
/// </summary>
public sealed class AssistantSessions
{
    private readonly ConcurrentDictionary<string, Guid> switched = new();

    public Guid? SwitchedOrganization(string? sessionId) =>
        sessionId is not null && switched.TryGetValue(sessionId, out var organizationId) ? organizationId : null;

    public void Switch(string sessionId, Guid organizationId) => switched[sessionId] = organizationId;
}
