using Microsoft.EntityFrameworkCore;
using MultiOrg.Data;
using MultiOrg.Domain.Jobs;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Hosting;

public sealed class JobLeaseTests : IDisposable
{
    private readonly TestDatabase database = new();

    public void Dispose() => database.Dispose();

    /// <summary>A server's own connection pool and services over the shared database.</summary>
    private JobLeases Server() => new(new MultiOrgDbFactory(new MultiOrgDbProvider(TestDatabase.Kind, database.ConnectionString), new TenantContext(), TimeProvider.System));

    [Fact]
    public async Task Two_servers_due_at_the_same_times_run_each_due_time_exactly_once()
    {
        var (a, b) = (Server(), Server());
        var start = new DateTime(2026, 11, 27, 15, 0, 0, DateTimeKind.Utc);
        var interval = TimeSpan.FromMinutes(15);
        var ran = new List<(string Server, DateTime Due)>();

        for (var tick = 0; tick < 12; tick++)
        {
            // Both servers wake a few seconds apart within the same interval, as unsynchronised timers do.
            var now = start.AddMinutes(15 * tick).AddSeconds(3);
            var due = JobLeases.DueSlot(now, interval);
            JobRun? byA = null, byB = null;
            var outcomes = await Race.RunAsync([
                async () => byA = await a.TryClaimAsync("billing-period-close", due, "server-a", now),
                async () => byB = await b.TryClaimAsync("billing-period-close", JobLeases.DueSlot(now.AddSeconds(40), interval), "server-b", now.AddSeconds(40))]);
            outcomes.Should().AllSatisfy(e => e.Should().BeNull(), "a lost claim is a null, never an error ({0})", Race.Tally(outcomes));
            ran.AddRange(new[] { byA, byB }.OfType<JobRun>().Select(c => (c.Holder, c.DueAt)));
        }

        ran.Select(r => r.Due).Should().OnlyHaveUniqueItems().And.HaveCount(12, "each of the twelve due times ran once, on one server or the other");
        await using var db = database.CreateContext();
        (await db.Set<JobRun>().CountAsync()).Should().Be(12);
        (await a.TryClaimAsync("billing-period-close", start, "server-a", start.AddMinutes(1))).Should().BeNull("a due time already run is not run again");
        (await a.TryClaimAsync("retention-purge", start, "server-a", start)).Should().NotBeNull("another job has its own due times");
    }

    [Theory]
    [InlineData("2026-11-27T15:14:59", 15, "2026-11-27T15:00:00")]
    [InlineData("2026-11-27T15:15:00", 15, "2026-11-27T15:15:00")]
    [InlineData("2026-11-27T23:59:59", 60, "2026-11-27T23:00:00")]
    public void A_due_time_is_the_start_of_its_interval_on_every_server(string now, int minutes, string expected)
    {
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        JobLeases.DueSlot(DateTime.Parse(now, culture), TimeSpan.FromMinutes(minutes))
            .Should().Be(DateTime.Parse(expected, culture));
    }
}
