using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MultiOrg.Data;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Data;

/// <summary>
/// A deadlock or serialization failure on a server database is retried by the execution strategy, the whole unit of
/// work again, and the request succeeds. Always on PostgreSQL: SQLite's single writer neither deadlocks nor fails a
/// serialization. The failure is PostgreSQL's own: a trigger raises it the first time the row is written.
/// </summary>
public sealed class TransientFailureRetryTests : IDisposable
{
    private readonly TestDatabase database = new(kind: DatabaseProvider.PostgreSql);
    private readonly ApiFactory factory;

    public TransientFailureRetryTests() => factory = new ApiFactory(shared: database);

    public void Dispose()
    {
        factory.Dispose();
        database.Dispose();
    }

    /// <summary>Makes the next write to <paramref name="table"/> fail once with <paramref name="sqlState"/> (or every write, <paramref name="times"/>).</summary>
    private async Task FailNextWriteOnceAsync(string table, string sqlState, int times = 1)
    {
        var sql = """
            CREATE SEQUENCE forced_failures;
            CREATE FUNCTION fail_once() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF nextval('forced_failures') <= TIMES THEN
                    RAISE EXCEPTION 'forced by the test' USING ERRCODE = 'STATE';
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER fail_once BEFORE INSERT OR UPDATE ON "TABLE" FOR EACH ROW EXECUTE FUNCTION fail_once();
            """.Replace("STATE", sqlState, StringComparison.Ordinal).Replace("TIMES", times.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal).Replace("TABLE", table, StringComparison.Ordinal);
        await using var db = database.CreateContext();
        await db.Database.ExecuteSqlRawAsync(sql);
    }

    /// <summary>How often the trigger ran: twice when the failed write was repeated once.</summary>
    private async Task<long> WritesAttemptedAsync()
    {
        await using var db = database.CreateContext();
        return await db.Database.SqlQueryRaw<long>("SELECT last_value AS \"Value\" FROM forced_failures").SingleAsync();
    }

    [Theory]
    [InlineData("40001")] // serialization_failure
    [InlineData("40P01")] // deadlock_detected
    public async Task A_failed_audited_save_is_retried_whole_and_the_note_is_saved_once(string sqlState)
    {
        var owner = await factory.RegisterAsync("Owner");
        var organizationId = await owner.CreateOrganizationAsync("Retry Ltd");
        await FailNextWriteOnceAsync("OrganizationNotes", sqlState);

        using var response = await owner.Client.PostAsJsonAsync($"/api/organizations/{organizationId}/notes", new { text = "Saved after a retry" });

        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        (await WritesAttemptedAsync()).Should().Be(2, "the first attempt failed with {0} and the unit ran again", sqlState);
        var notes = await owner.Client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/organizations/{organizationId}/notes");
        notes.GetArrayLength().Should().Be(1, "the retried unit saved the note once");
        var verification = await owner.Client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/organizations/{organizationId}/audit/verify");
        verification.GetProperty("intact").GetBoolean().Should().BeTrue("the retry appended one audit entry, chained: {0}", verification);
    }

    [Theory]
    [InlineData("40001")]
    [InlineData("40P01")]
    public async Task A_failed_write_transaction_is_retried_whole_and_the_role_changes(string sqlState)
    {
        var owner = await factory.RegisterAsync("Owner");
        var member = await factory.RegisterAsync("Member");
        var organizationId = await owner.CreateOrganizationAsync("Retry Ltd");
        await owner.AddMemberAsync(organizationId, member, "MEMBER");
        await FailNextWriteOnceAsync("OrganizationMembers", sqlState);

        using var response = await owner.Client.PatchAsJsonAsync($"/api/organizations/{organizationId}/members/{member.Id}", new { role = "ADMIN" });

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await WritesAttemptedAsync()).Should().Be(2, "the first attempt failed with {0} and the unit ran again, lock first", sqlState);
        (await response.JsonAsync()).GetProperty("role").GetString().Should().Be("ADMIN");
        var verification = await owner.Client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/organizations/{organizationId}/audit/verify");
        verification.GetProperty("intact").GetBoolean().Should().BeTrue("{0}", verification);
    }

    [Fact]
    public async Task A_failure_that_outlasts_the_retries_answers_503_and_saves_nothing()
    {
        var owner = await factory.RegisterAsync("Owner");
        var organizationId = await owner.CreateOrganizationAsync("Busy Ltd");
        await FailNextWriteOnceAsync("OrganizationNotes", "40P01", times: int.MaxValue);

        using var response = await owner.Client.PostAsJsonAsync($"/api/organizations/{organizationId}/notes", new { text = "Never saved" });

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "a database still busy after the retries is not a server error: {0}",
            await response.Content.ReadAsStringAsync());
        response.Headers.RetryAfter.Should().NotBeNull("the client is told it may send the request again");
        (await WritesAttemptedAsync()).Should().Be(6, "the unit ran once and was retried five times (UnitRetrying.MaxRetries)");
        var notes = await owner.Client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/organizations/{organizationId}/notes");
        notes.GetArrayLength().Should().Be(0);
        var verification = await owner.Client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/organizations/{organizationId}/audit/verify");
        verification.GetProperty("intact").GetBoolean().Should().BeTrue("no failed attempt left an audit entry behind: {0}", verification);
    }
}
