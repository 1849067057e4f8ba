using Microsoft.Extensions.Time.Testing;
using MultiOrg.Web.Security;

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
