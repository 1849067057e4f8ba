using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Audit;

/// <summary>Two app instances (two servers) writing to one organization in one database at the same moment.</summary>
public sealed class AuditChainRaceTests : IDisposable
{
    private readonly ApiFactory first = new();
    private readonly ApiFactory second;

    public AuditChainRaceTests() => second = new ApiFactory(shared: first.Database);

    public void Dispose()
    {
        second.Dispose();
        first.Dispose();
    }

    [Fact]
    public async Task Two_hundred_writes_from_two_servers_to_one_organization_leave_one_chain_without_gap_or_duplicate()
    {
        const int writes = 200;
        var owner = await first.RegisterAsync("Owner");
        var organizationId = await owner.CreateOrganizationAsync("Busy Ltd");
        using var onSecond = await second.LoginAsync(owner.Email, ApiFactory.Password);
        int before;
        await using (var db = first.Database.CreateContext())
        {
            // Counted from here: creating the organization wrote the chain's first entries.
            before = await db.AuditEntries.IgnoreQueryFilters().CountAsync(a => a.OrganizationId == organizationId);
        }

        var statuses = new HttpStatusCode[writes];
        var outcomes = await Race.RunAsync(Enumerable.Range(0, writes).Select(i => (Func<Task>)(async () =>
        {
            var client = i % 2 == 0 ? owner.Client : onSecond;
            using var response = await client.PostAsJsonAsync($"/api/organizations/{organizationId}/notes", new { text = $"Note {i}" });
            statuses[i] = response.StatusCode;
        })));

        var tally = string.Join(", ", statuses.GroupBy(s => (int)s).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}"));
        outcomes.Should().AllSatisfy(e => e.Should().BeNull(), "every request gets an answer ({0})", Race.Tally(outcomes));
        statuses.Should().AllSatisfy(s => s.Should().Be(HttpStatusCode.Created), "every write is saved, on either server (statuses {0})", tally);
        await using (var db = first.Database.CreateContext())
        {
            var sequences = await db.AuditEntries.IgnoreQueryFilters().Where(a => a.OrganizationId == organizationId)
                .OrderBy(a => a.Sequence).Select(a => a.Sequence).ToListAsync();
            sequences.Should().OnlyHaveUniqueItems("no two writes take one sequence number");
            sequences.Should().Equal(Enumerable.Range(1, before + writes).Select(i => (long)i), "one entry per write, numbered without a gap");
        }

        var verification = await owner.Client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/organizations/{organizationId}/audit/verify");
        verification.GetProperty("intact").GetBoolean().Should().BeTrue("the chain verifies: {0}", verification);
        verification.GetProperty("entries").GetInt32().Should().Be(before + writes);
    }
}
