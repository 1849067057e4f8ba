using System.Text.Json;
using System.Text.Json.Serialization;
using MultiOrg.Domain.Events;
using StackExchange.Redis;

namespace MultiOrg.Web.Events;

/// <summary>
/// The event port across servers: an event goes to this server's circuits at once and, over one Redis pub/sub channel,
/// to every other server's. A server ignores its own messages when they come back from Redis (it delivered them already).
/// </summary>
public sealed partial class RedisOrganizationEvents(
        IConnectionMultiplexer redis, InProcessOrganizationEvents local, ILogger<RedisOrganizationEvents> logger)
    : IOrganizationEvents, IHostedService
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("multiorg:organization-events");

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>This process, so that its own messages are not delivered twice.</summary>
    private readonly string origin = Guid.NewGuid().ToString("N");

    public async Task PublishAsync(OrganizationEvent change, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        local.Deliver(change);
        try
        {
            // Fire and forget: the request that made the change never waits on Redis (pub/sub promises no delivery anyway).
            await redis.GetSubscriber().PublishAsync(Channel, JsonSerializer.Serialize(new Envelope(origin, change), Json), CommandFlags.FireAndForget);
        }
        catch (Exception error) when (error is RedisException or TimeoutException)
        {
            // Committed already: other servers' circuits still refuse every action the change forbids, and see it at
            // their next check (revalidation, navigation). Say so loudly.
            LogPublishFailed(error, change.Kind);
        }
    }

    public IDisposable Subscribe(Action<OrganizationEvent> handler) => local.Subscribe(handler);

    /// <summary>
    /// Subscribes before the server takes traffic. With Redis away the server still starts (not ready: the health check
    /// says so) and the multiplexer subscribes once it reconnects.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionRestored += OnConnectionRestored;
        try
        {
            await redis.GetSubscriber().SubscribeAsync(Channel, (_, message) => Receive(message));
        }
        catch (Exception error) when (error is RedisException or TimeoutException)
        {
            LogSubscribeFailed(error);
        }
    }

    /// <summary>Whether this server hears the other servers now (for the readiness check).</summary>
    public bool IsListening => redis.GetSubscriber().IsConnected(Channel);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionRestored -= OnConnectionRestored;
        try
        {
            await redis.GetSubscriber().UnsubscribeAsync(Channel);
        }
        catch (Exception error) when (error is RedisException or TimeoutException or ObjectDisposedException)
        {
            // Stopping anyway; the subscription ends with the connection.
        }
    }

    /// <summary>
    /// Pub/sub keeps nothing for a subscriber that was away: whatever other servers published while this one's connection
    /// was down is gone. So when it comes back, this server's circuits re-check their organization in the database
    /// (the bench's Redis outage found tabs showing a role changed meanwhile until their next navigation).
    /// </summary>
    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        LogRestored(e.ConnectionType);
        local.Deliver(new OrganizationEvent(OrganizationEventKind.EventsInterrupted, Guid.Empty));
    }

    private void Receive(RedisValue message)
    {
        Envelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<Envelope>(message.ToString(), Json);
        }
        catch (JsonException error)
        {
            LogUnreadable(error);
            return;
        }

        if (envelope is { Event: { } change } && envelope.Origin != origin)
        {
            local.Deliver(change);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not publish an organization event ({Kind}) to Redis; other servers' tabs see it at their next check.")]
    private partial void LogPublishFailed(Exception error, OrganizationEventKind kind);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not subscribe to organization events in Redis yet; this server is not ready until it does.")]
    private partial void LogSubscribeFailed(Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Redis connection ({ConnectionType}) is back; this server's circuits re-check what they show.")]
    private partial void LogRestored(ConnectionType connectionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An unreadable message arrived on the organization events channel.")]
    private partial void LogUnreadable(Exception error);

    private sealed record Envelope(string Origin, OrganizationEvent Event);
}
