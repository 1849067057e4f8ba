using System.Globalization;
using System.Text;

namespace MultiOrg.Bench;

internal static partial class FaultsBench
{
    /// <summary>faults.md: the figures, what each one is, the machine and the load while they were measured.</summary>
    public static void WriteReport(FigureSet set, FaultNotes notes, string loadBefore, string loadAfter)
    {
        var text = new StringBuilder()
            .AppendLine("# Fault figures: write rates, a server killed mid-stream, Redis stopped")
            .AppendLine()
            .AppendLine("Issue 26 point 6. Written by `bench/run.sh faults` (`MultiOrg.Bench faults`); do not edit by hand.")
            .AppendLine()
            .AppendLine("## Machine and load")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"- Measured {set.MeasuredAt:yyyy-MM-dd HH:mm} UTC; `nproc` {Environment.ProcessorCount}; memory {ScaleBench.TotalMemoryGiB():F1} GiB; {System.Runtime.InteropServices.RuntimeInformation.OSDescription}; {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}")
            .AppendLine(CultureInfo.InvariantCulture, $"- Load average (1 / 5 / 15 min): {loadBefore} before, {loadAfter} after; at each part: {string.Join("; ", notes.Loads)}")
            .AppendLine(CultureInfo.InvariantCulture, $"- {LoadNote(loadBefore)}")
            .AppendLine("- Every process is real and on loopback: `dotnet MultiOrg.Web.dll` (Release), Debian's PostgreSQL (a throwaway cluster")
            .AppendLine("  with its durable defaults: fsync and synchronous commit on), Debian's redis-server (nothing on disk), SQLite in WAL as the app")
            .AppendLine("  configures it. The demo data seeded; writes are notes added with `POST /api/organizations/{id}/notes` and an")
            .AppendLine("  organization's API key (MEMBER). Each note is audited, so it takes the organization's write lock and appends to its")
            .AppendLine("  audit chain in the same transaction. An acknowledged write is a request answered 201 Created.")
            .AppendLine()
            .AppendLine("## Writes per second")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"One server, {Writers} concurrent writers (each waits for its answer, then sends the next), {WarmUp.TotalSeconds:F1} s warm-up, then {Stream.TotalSeconds:F0} s measured;")
            .AppendLine(CultureInfo.InvariantCulture, $"\"one organization\": all writers into Acme Corp (they queue on its write lock); \"across organizations\": writer *i* into organization *i* of {Organizations}.")
            .AppendLine()
            .AppendLine("| database | writes into | writes/s | notes |")
            .AppendLine("| --- | --- | ---: | --- |");
        foreach (var figure in set.Figures.Where(f => f.Group.StartsWith("writes-", StringComparison.Ordinal)))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {figure.Group[7..]} | {figure.Name.Replace("Writes per second, ", "", StringComparison.Ordinal)} | **{figure.Median:F0}** | {figure.Note} |");
        }

        text.AppendLine()
            .AppendLine("## SIGKILL of one server in the middle of a write stream (PostgreSQL, two servers)")
            .AppendLine()
            .AppendLine("| figure | value |")
            .AppendLine("| --- | ---: |");
        foreach (var figure in set.Figures.Where(f => f.Group == "kill"))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {figure.Name} | **{figure.Median:0.#}** {figure.Unit} |");
        }

        text.AppendLine();
        foreach (var line in notes.Lines.Where(l => !l.StartsWith("Redis", StringComparison.Ordinal) && !l.StartsWith("/health", StringComparison.Ordinal) && !l.StartsWith("Mia", StringComparison.Ordinal) && !l.StartsWith("A new", StringComparison.Ordinal)))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {line}");
        }

        text.AppendLine()
            .AppendLine("Counted after the stream: every acknowledged note's text looked up in `OrganizationNotes` by a direct query.")
            .AppendLine()
            .AppendLine("## Redis stopped for 10 s (PostgreSQL, two servers)")
            .AppendLine()
            .AppendLine("| figure | value |")
            .AppendLine("| --- | ---: |");
        foreach (var figure in set.Figures.Where(f => f.Group == "redis"))
        {
            var value = double.IsNaN(figure.Median) ? figure.Note ?? "not measured" : $"**{figure.Median:0.#}** {figure.Unit}";
            text.AppendLine(CultureInfo.InvariantCulture, $"| {figure.Name} | {value} |");
        }

        text.AppendLine();
        foreach (var line in notes.Lines.Where(l => l.StartsWith("Redis", StringComparison.Ordinal) || l.StartsWith("/health", StringComparison.Ordinal) || l.StartsWith("Mia", StringComparison.Ordinal) || l.StartsWith("A new", StringComparison.Ordinal)))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {line}");
        }

        text.AppendLine()
            .AppendLine("Found and fixed with this bench: before the fix (`EventsInterrupted`, decision 15) the role changed during the outage")
            .AppendLine("never reached the tab on B on its own (\"not within 35 s after Redis answered\", 2026-12-07 13:23 UTC, same machine and")
            .AppendLine("load): Redis pub/sub keeps nothing for a server that was away, and the tab's 30-second revalidation checks the")
            .AppendLine("person's session, not their membership. Now a server whose Redis connection comes back has its circuits re-enter their")
            .AppendLine("organization from the database.")
            .AppendLine()
            .AppendLine("The load during the outage: a note written with a key on A and on B, Olivia's organization list on B (bearer token),")
            .AppendLine("Mia's dashboard page fetched with her cookie on B (a full server render), each in a loop; /health/ready of both probed")
            .AppendLine("every 100 ms. Mia's tab is a Chromium page on B's Acme dashboard; ADMIN shows as the *Audit log* link in its navigation.");
        File.WriteAllText(ReportPath, text.ToString());
        Console.WriteLine($"Report: {ReportPath}");
        UpdateLatest();
    }

    /// <summary>A load above the core count means the lead's test suite (or other work) shared the machine.</summary>
    private static string LoadNote(string load) =>
        double.TryParse(load.Split(" / ")[0], CultureInfo.InvariantCulture, out var one) && one > Environment.ProcessorCount
            ? $"The machine was busy with other work (a 1-minute load of {one:F1} on {Environment.ProcessorCount} cores): the rates are lower bounds and the times upper bounds; the counts (lost writes, failed requests) do not depend on it."
            : "The machine was otherwise quiet.";

    public const string LatestHeading = "## Fault figures (issue 26)";

    /// <summary>The headline fault figures for latest.md, pointing at faults.md; nothing before `bench faults` has run.</summary>
    public static void LatestSection(StringBuilder md)
    {
        if (FigureSet.Load(ResultsPath) is not { } set)
        {
            return;
        }

        string Value(string group, string name, string format)
        {
            var figure = set.Figures.FirstOrDefault(f => f.Group == group && f.Name.StartsWith(name, StringComparison.Ordinal));
            return figure is null ? "not measured" : double.IsNaN(figure.Median) ? figure.Note ?? "not measured" : figure.Median.ToString(format, CultureInfo.InvariantCulture) + " " + figure.Unit;
        }

        md.AppendLine(LatestHeading).AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Measured {set.MeasuredAt:yyyy-MM-dd HH:mm} UTC by `bench/run.sh faults`; the method, the machine, the load and every figure: [faults.md](faults.md).")
            .AppendLine()
            .AppendLine("| figure | value |")
            .AppendLine("| --- | ---: |")
            .AppendLine(CultureInfo.InvariantCulture, $"| SQLite, one server, {Writers} writers: writes/s into one organization / across {Organizations} | {Value("writes-SQLite", "Writes per second, one", "F0")} / {Value("writes-SQLite", "Writes per second, across", "F0")} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| PostgreSQL, one server, {Writers} writers: writes/s into one organization / across {Organizations} | {Value("writes-PostgreSQL", "Writes per second, one", "F0")} / {Value("writes-PostgreSQL", "Writes per second, across", "F0")} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| SIGKILL of one of two servers mid-stream (PostgreSQL): acknowledged writes / missing afterwards | {Value("kill", "Acknowledged writes", "F0")} / {Value("kill", "Acknowledged writes missing", "F0")} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| ... requests to the other server that failed | {Value("kill", "Requests to B", "F0")} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| Redis stopped 10 s: requests during the outage / failed | {Value("redis", "Requests sent", "F0")} / {Value("redis", "Requests that failed", "F0")} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| ... a role changed during the outage shown in the other server's tab, after Redis answered | {Value("redis", "Change made during the outage", "F0")} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| ... a new change after Redis returned, request to the tab on the other server (median) | {Value("redis", "New change", "F0")} |")
            .AppendLine();
    }

    /// <summary>Puts <see cref="LatestSection"/> into latest.md in place (before "Not measured yet"), replacing an older one.</summary>
    public static void UpdateLatest()
    {
        var path = Path.Combine(BenchPaths.Results, "latest.md");
        if (!File.Exists(path))
        {
            return;
        }

        var text = File.ReadAllText(path);
        var start = text.IndexOf(LatestHeading, StringComparison.Ordinal);
        if (start >= 0)
        {
            var end = text.IndexOf("\n## ", start + LatestHeading.Length, StringComparison.Ordinal);
            text = text.Remove(start, (end < 0 ? text.Length : end + 1) - start);
        }

        var section = new StringBuilder();
        LatestSection(section);
        var at = text.IndexOf("## Not measured yet", StringComparison.Ordinal);
        text = at < 0 ? text + section : text.Insert(at, section.ToString());
        File.WriteAllText(path, text);
    }
}
