using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace MultiOrg.Bench;

internal static partial class FaultsBench
{
    public static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan KillStream = TimeSpan.FromSeconds(7);
    private const int KillOrganizations = 4;

    /// <summary>
    /// Two servers on one PostgreSQL database. Half the writers send to A, half to B, two per organization (one on each
    /// server, so both servers contend for the same organizations' write locks). <see cref="KillAfter"/> into the stream
    /// A gets SIGKILL; a writer whose request to A fails moves to B, as a balancer would. Afterwards every acknowledged
    /// note is looked for in the database, and each organization's audit chain is verified through B.
    /// </summary>
    private static async Task<List<Figure>> KillAsync(
        string connectionString, List<Process> servers, string a, string b, List<(Guid Organization, string Secret)> keys, FaultNotes notes)
    {
        var onA = keys.Take(KillOrganizations).Select(k => KeyClient(a, k.Secret)).ToList();
        var onB = keys.Take(KillOrganizations).Select(k => KeyClient(b, k.Secret)).ToList();
        var moved = new bool[Writers];

        // B has served nothing yet: warmed up (JIT, pools, the keys) as A was by the write-rate runs.
        await WriteStream.RunAsync("warm-kill", Writers, WarmUp, writer => (keys[writer % KillOrganizations].Organization, (writer < Writers / 2 ? onA : onB)[writer % KillOrganizations]));
        var clock = Stopwatch.StartNew();
        (Guid, HttpClient) Target(int writer)
        {
            var organization = writer % KillOrganizations;
            var toA = writer < Writers / 2 && !Volatile.Read(ref moved[writer]);
            return (keys[organization].Organization, toA ? onA[organization] : onB[organization]);
        }

        var load = InProcess.LoadAverage();
        var killed = Task.Run(async () =>
        {
            await Task.Delay(KillAfter);
            var at = clock.Elapsed;

            // Process.Kill is SIGKILL on Linux: nothing of A runs after it (no shutdown, no flush, no connection close).
            servers[0].Kill();
            await servers[0].WaitForExitAsync();
            return at;
        });
        var stream = await WriteStream.RunAsync("kill", Writers, KillStream, Target, writer => Volatile.Write(ref moved[writer], true), clock);
        var killedAt = await killed;
        onA.ForEach(c => c.Dispose());
        onB.ForEach(c => c.Dispose());

        var stored = new HashSet<string>(StringComparer.Ordinal);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT \"Text\" FROM \"OrganizationNotes\" WHERE \"Text\" LIKE 'kill-%'", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                stored.Add(reader.GetString(0));
            }
        }

        var acknowledged = stream.Acknowledged.ToHashSet(StringComparer.Ordinal);
        var lost = acknowledged.Count(t => !stored.Contains(t));
        var unanswered = stored.Count(t => !acknowledged.Contains(t));
        var authorityA = new Uri(a).Authority;
        var authorityB = new Uri(b).Authority;
        var failuresA = stream.Failures.Where(f => f.Server == authorityA).ToList();
        var failuresB = stream.Failures.Where(f => f.Server == authorityB).ToList();
        var bBefore = stream.Answers.Count(x => x.Server == authorityB && x.At < killedAt) / killedAt.TotalSeconds;
        var bAfter = stream.Answers.Count(x => x.Server == authorityB && x.At >= killedAt) / (stream.Elapsed - killedAt).TotalSeconds;
        var chains = await VerifyChainsAsync(b, keys.Take(KillOrganizations).Select(k => k.Organization));

        var failureKinds = string.Join(", ", failuresA.GroupBy(f => f.What).Select(g => $"{g.Count()} × {g.Key}"));
        Console.WriteLine($"  SIGKILL of A at {killedAt.TotalSeconds:F2} s: {acknowledged.Count} acknowledged, {stored.Count} stored, {lost} acknowledged but missing, {unanswered} stored but never answered");
        Console.WriteLine($"  failed on A: {failuresA.Count} ({failureKinds}); failed on B: {failuresB.Count}; B {bBefore:F0} writes/s before, {bAfter:F0} after; audit chains: {chains}");
        notes.Loads.Add($"PostgreSQL SIGKILL stream: {load}");
        notes.Lines.Add($"SIGKILL of server A {killedAt.TotalSeconds:F2} s into a {KillStream.TotalSeconds:F0}-s stream of {Writers} writers ({Writers / 2} on A, {Writers / 2} on B, {KillOrganizations} organizations, each written from both servers)");
        notes.Lines.Add($"Requests to A that got no answer (the kill): {failuresA.Count} ({failureKinds}); each such writer then went on against B");
        notes.Lines.Add($"Requests to B that failed: {failuresB.Count}{(failuresB.Count > 0 ? " (" + string.Join(", ", failuresB.GroupBy(f => f.What).Select(g => $"{g.Count()} × {g.Key}")) + ")" : "")}");
        notes.Lines.Add($"Stored notes that were never acknowledged (committed as A died, before its answer left): {unanswered}");
        notes.Lines.Add($"Audit chains of the {KillOrganizations} organizations, verified through B afterwards: {chains}");
        return
        [
            new Figure("kill", "Acknowledged writes", Writers, "8 writers", acknowledged.Count, acknowledged.Count, acknowledged.Count, 1, "writes"),
            new Figure("kill", "Acknowledged writes missing from the database after the SIGKILL", Writers, "8 writers", lost, lost, lost, 1, "writes"),
            new Figure("kill", "Requests to B that failed", Writers, "8 writers", failuresB.Count, failuresB.Count, failuresB.Count, 1, "requests"),
            new Figure("kill", "Server B writes per second before the kill", Writers, "4 writers", bBefore, bBefore, bBefore, 1, "writes/s"),
            new Figure("kill", "Server B writes per second after the kill (all 8 writers)", Writers, "8 writers", bAfter, bAfter, bAfter, 1, "writes/s"),
        ];
    }

    /// <summary>Each organization's audit chain as the app verifies it (GET …/audit/verify as its owner).</summary>
    private static async Task<string> VerifyChainsAsync(string server, IEnumerable<Guid> organizations)
    {
        using var olivia = await ScaleBench.ApiAsync(server, "olivia.owner@demo.multiorg.test");
        var results = new List<string>();
        foreach (var organization in organizations)
        {
            var verification = await olivia.GetFromJsonAsync<JsonElement>($"/api/organizations/{organization}/audit/verify");
            results.Add(verification.GetProperty("intact").GetBoolean()
                ? $"intact ({verification.GetProperty("entries").GetInt32().ToString(CultureInfo.InvariantCulture)} entries)"
                : $"BROKEN at {verification.GetProperty("firstBrokenSequence")}: {verification.GetProperty("problem")}");
        }

        return string.Join("; ", results);
    }
}
