using System.Collections.Immutable;
using MultiOrg.Domain.Events;

namespace MultiOrg.Web.Events;

/// <summary>
/// The event port for one server: every circuit of this process subscribes here. Also the local delivery of the Redis
/// port, which adds the other servers. Without <see cref="Hosting.AppMetrics"/> (a bare port in a unit test) deliveries
/// are not counted.
/// </summary>
public sealed partial class InProcessOrganizationEvents(ILogger<InProcessOrganizationEvents> logger, Hosting.AppMetrics? metrics = null) : IOrganizationEvents
{
    private ImmutableArray<Action<OrganizationEvent>> handlers = [];

    /// <summary>How many subscriptions are open (one per live circuit shell, one per banner).</summary>
    public int Subscribers => handlers.Length;

    public Task PublishAsync(OrganizationEvent change, CancellationToken ct = default)
    {
        Deliver(change);
        return Task.CompletedTask;
    }

    public IDisposable Subscribe(Action<OrganizationEvent> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ImmutableInterlocked.Update(ref handlers, list => list.Add(handler));
        return new Subscription(this, handler);
    }

    /// <summary>Hands the event to every subscriber; one that throws (a circuit torn down meanwhile) never stops the others.</summary>
    public void Deliver(OrganizationEvent change)
    {
        ArgumentNullException.ThrowIfNull(change);
        metrics?.EventDelivered(change.Kind);
        foreach (var handler in handlers)
        {
            try
            {
                handler(change);
            }
            catch (Exception error)
            {
                LogHandlerFailed(error, change.Kind);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A subscriber failed to take an organization event ({Kind}).")]
    private partial void LogHandlerFailed(Exception error, OrganizationEventKind kind);

    private sealed class Subscription(InProcessOrganizationEvents owner, Action<OrganizationEvent> handler) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                ImmutableInterlocked.Update(ref owner.handlers, list => list.Remove(handler));
            }
        }
    }
}
