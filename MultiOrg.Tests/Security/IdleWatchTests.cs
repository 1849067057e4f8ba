using Microsoft.Extensions.Time.Testing;
using MultiOrg.Web.Features.Security;

namespace MultiOrg.Tests.Security;

public sealed class IdleWatchTests
{
    [Fact]
    public void A_tab_idle_for_the_whole_limit_expires_once()
    {
        var time = new FakeTimeProvider();
        using var watch = new IdleWatch(time);
        var expired = new List<TimeSpan>();
        watch.Expired += expired.Add;
        watch.Watch(TimeSpan.FromMinutes(5));

        time.Advance(TimeSpan.FromMinutes(4));
        expired.Should().BeEmpty();
        time.Advance(TimeSpan.FromMinutes(1));
        time.Advance(TimeSpan.FromMinutes(10));

        expired.Should().Equal(TimeSpan.FromMinutes(5));
    }

    [Fact]
    public void Activity_starts_the_idle_time_again()
    {
        var time = new FakeTimeProvider();
        using var watch = new IdleWatch(time);
        var expired = 0;
        watch.Expired += _ => expired++;
        watch.Watch(TimeSpan.FromMinutes(5));

        for (var i = 0; i < 6; i++)
        {
            time.Advance(TimeSpan.FromMinutes(3));
            watch.Touch();
        }

        expired.Should().Be(0);
        time.Advance(TimeSpan.FromMinutes(5));
        expired.Should().Be(1);
    }

    [Fact]
    public void A_resumed_tab_keeps_the_idle_time_it_had_and_one_idle_for_the_whole_limit_is_not_watched_but_refused()
    {
        var time = new FakeTimeProvider();
        using var paused = new IdleWatch(time);
        var persisted = paused.LastActivity;

        time.Advance(TimeSpan.FromMinutes(4));
        using var soon = new IdleWatch(time) { LastActivity = persisted };
        var expired = 0;
        soon.Expired += _ => expired++;
        soon.Watch(TimeSpan.FromMinutes(5)).Should().BeTrue("4 of its 5 minutes have passed");
        time.Advance(TimeSpan.FromMinutes(1));
        expired.Should().Be(1, "the minute it had left, not five new ones");

        time.Advance(TimeSpan.FromMinutes(1));
        using var late = new IdleWatch(time) { LastActivity = persisted };
        late.Watch(TimeSpan.FromMinutes(5)).Should().BeFalse("6 minutes idle before it resumed");
        late.Limit.Should().BeNull();
    }

    [Fact]
    public void An_organization_without_a_timeout_never_expires_the_tab()
    {
        var time = new FakeTimeProvider();
        using var watch = new IdleWatch(time);
        var expired = 0;
        watch.Expired += _ => expired++;
        watch.Watch(TimeSpan.FromMinutes(5));

        watch.Watch(null);
        time.Advance(TimeSpan.FromHours(3));

        expired.Should().Be(0);
    }
}
