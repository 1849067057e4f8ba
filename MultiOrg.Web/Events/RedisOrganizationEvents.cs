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
            await redis.GetSubscriber().PublishAsync(Channel, JsonSerializer.Serialize(new Envelope(origin, change), Json));
        }
        catch (Exception error) when (error is RedisException or TimeoutException)
        {
            // Committed already: other servers' circuits still refuse every action the change forbids, and see it at
            // their next check (revalidation, navigation). Say so loudly.
            LogPublishFailed(error, change.Kind);
        }
    }

    public IDisposable Subscribe(Action<OrganizationEvent> handler) => local.Subscribe(handler);

    /// <summary>Subscribes before the server takes traffic; the multiplexer re-subscribes by itself after a reconnect.</summary>
    public Task StartAsync(CancellationToken cancellationToken) =>
        redis.GetSubscriber().SubscribeAsync(Channel, (_, message) => Receive(message));

    public Task StopAsync(CancellationToken cancellationToken) =>
        redis.GetSubscriber().UnsubscribeAsync(Channel);

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "An unreadable message arrived on the organization events channel.")]
    private partial void LogUnreadable(Exception error);

    private sealed record Envelope(string Origin, OrganizationEvent Event);
}
