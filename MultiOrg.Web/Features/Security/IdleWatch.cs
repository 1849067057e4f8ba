using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace MultiOrg.Web.Features.Security;

/// <summary>
/// One per circuit: when the person last did something in this tab (any event, navigation or script call from the
/// browser), and a timer that raises <see cref="Expired"/> once the organization's idle timeout has passed without any.
/// The time of the last activity is kept with the circuit's persisted state, so a tab resumed after a pause, or on
/// another server, is as idle as it was, not fresh.
/// </summary>
public sealed class IdleWatch(TimeProvider time) : IDisposable
{
    private readonly Lock gate = new();
    private DateTimeOffset lastActivity = time.GetUtcNow();
    private TimeSpan? limit;
    private ITimer? timer;
    private TimeSpan expiredAfter;

    /// <summary>Raised once, on a timer thread, when the tab has been idle for the whole limit.</summary>
    public event Action<TimeSpan>? Expired;

    public TimeSpan? Limit => limit;

    /// <summary>Persisted with the circuit; restored when it resumes.</summary>
    [PersistentState]
    public DateTimeOffset LastActivity
    {
        get
        {
            lock (gate)
            {
                return lastActivity;
            }
        }

        set
        {
            lock (gate)
            {
                lastActivity = value;
            }
        }
    }

    public void Touch()
    {
        lock (gate)
        {
            lastActivity = time.GetUtcNow();
        }
    }

    /// <summary>
    /// Starts watching with the organization's limit (null stops watching). False, and not watching, when the tab has
    /// already been idle for the whole limit (a resumed tab, or a limit made shorter): the caller leaves at once.
    /// Entering by a click or a navigation is activity already; a resumed tab or a changed policy is not.
    /// </summary>
    public bool Watch(TimeSpan? idleLimit)
    {
        lock (gate)
        {
            timer?.Dispose();
            timer = null;
            limit = null;
            if (idleLimit is { } span)
            {
                if (time.GetUtcNow() - lastActivity >= span)
                {
                    return false;
                }

                limit = span;

                // Checked a few times per limit (at most every 15 s), so the tab leaves soon after the limit passes.
                var every = TimeSpan.FromTicks(Math.Min(span.Ticks / 4, TimeSpan.FromSeconds(15).Ticks));
                timer = time.CreateTimer(_ => Check(), null, every, every);
            }

            return true;
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            timer?.Dispose();
            timer = null;
        }
    }

    private void Check()
    {
        lock (gate)
        {
            if (limit is not { } span || time.GetUtcNow() - lastActivity < span)
            {
                return;
            }

            timer?.Dispose();
            timer = null;
            limit = null;
            expiredAfter = span;
        }

        Expired?.Invoke(expiredAfter);
    }
}

/// <summary>Feeds every inbound message of the circuit (clicks, typing, navigation, script calls) to its <see cref="IdleWatch"/>.</summary>
public sealed class IdleWatchCircuitHandler(IdleWatch watch) : CircuitHandler
{
    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        context =>
        {
            watch.Touch();
            return next(context);
        };
}
