namespace MultiOrg.Domain.Events;

/// <summary>
/// The one port for changes that open circuits must react to, on every server. Services publish after their
/// transaction committed; circuits subscribe for as long as they live. In-process by default; Redis pub/sub when
/// <c>Redis:Configuration</c> is set.
/// </summary>
public interface IOrganizationEvents
{
    /// <summary>
    /// Delivers to this server's subscribers at once and to every other server's. Never throws for a transport failure:
    /// the change is already committed, and circuits still re-check every action against the database.
    /// </summary>
    Task PublishAsync(OrganizationEvent change, CancellationToken ct = default);

    /// <summary>Calls <paramref name="handler"/> for every event until the returned handle is disposed. Handlers must be quick (dispatch, don't work).</summary>
    IDisposable Subscribe(Action<OrganizationEvent> handler);
}
