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
            .AppendLine(CultureInfo.InvariantCulture, $"- {ScaleBench.LoadNote(loadBefore)}")
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
            .AppendLine("The load during the outage: a note written with a key on A and on B, Olivia's organization list on B (bearer token),")
            .AppendLine("Mia's dashboard page fetched with her cookie on B (a full server render), each in a loop; /health/ready of both probed")
            .AppendLine("every 100 ms. Mia's tab is a Chromium page on B's Acme dashboard; ADMIN shows as the *Audit log* link in its navigation.");
        File.WriteAllText(ReportPath, text.ToString());
        Console.WriteLine($"Report: {ReportPath}");
    }
}
