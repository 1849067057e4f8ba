using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;
using ScottPlot;

namespace MultiOrg.Bench;

/// <summary>Writes bench/results/latest.md and its charts from the JSON files the other commands leave.</summary>
internal static class Report
{
    public const double ServerTargetMs = 50;
    public const double TenantRatioTarget = 1.2;
    public const double CircuitTargetKb = 300;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Write()
    {
        var inProcess = FigureSet.Load(InProcess.ResultsPath)?.Figures ?? [];
        var circuits = FigureSet.Load(Circuits.ResultsPath)?.Figures ?? [];
        var findings = FigureSet.Load(Findings.ResultsPath)?.Figures ?? [];
        var onboarding = FigureSet.Load(Onboarding.ResultsPath)?.Figures ?? [];
        inProcess = [.. inProcess, .. onboarding];
        var md = new StringBuilder();
        md.AppendLine("# MultiOrg benchmarks: latest run").AppendLine()
            .AppendLine("Written by `bench/run.sh` (see the README's Benchmarks section); do not edit by hand. Issue 8.").AppendLine()
            .AppendLine("## Machine").AppendLine();
        foreach (var line in Machine())
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- {line}");
        }

        md.AppendLine();
        Targets(md, inProcess, circuits, findings);
        Figures(md, inProcess, circuits);
        FindingsSection(md, inProcess, circuits, findings);
        FaultsBench.LatestSection(md);
        NotYet(md);
        Method(md);
        Charts(inProcess, circuits, findings);
        File.WriteAllText(Path.Combine(BenchPaths.Results, "latest.md"), md.ToString());
        Console.WriteLine($"Report: {Path.Combine(BenchPaths.Results, "latest.md")}");
    }

    private static IEnumerable<string> Machine()
    {
        var cpu = ReadFirst("/proc/cpuinfo", "model name")?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memory = ReadFirst("/proc/meminfo", "MemTotal")?.Split(':', 2)[1].Trim() ?? "?";
        var memoryGib = double.TryParse(memory.Split(' ')[0], Invariant, out var kb) ? $"{kb / 1024 / 1024:F1} GiB" : memory;
        string sqlite;
        using (var connection = new SqliteConnection("Data Source=:memory:"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT sqlite_version()";
            sqlite = command.ExecuteScalar()?.ToString() ?? "?";
        }

        yield return $"Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC";
        yield return $"CPU: {cpu}; `nproc`: {Environment.ProcessorCount}";
        yield return $"Memory: {memoryGib}";
        var load = File.Exists(InProcess.LoadPath) ? File.ReadAllLines(InProcess.LoadPath).Select(l => l.Trim()).Where(l => l.Length > 0).Append($"report written: load average {InProcess.LoadAverage()}") : [];
        yield return $"Load (1 / 5 / 15 min; other work on the machine shows here): {string.Join("; ", load)}";
        yield return $"OS: {RuntimeInformation.OSDescription}";
        yield return $".NET: {RuntimeInformation.FrameworkDescription}; SQLite {sqlite} (Microsoft.Data.Sqlite's bundled build)";
        yield return $"Commit: {Git("rev-parse --short HEAD")}{(Git("status --porcelain").Length > 0 ? " (with uncommitted changes in the work tree)" : "")}";
        yield return $"World: generator v{World.Version}, {World.Organizations:N0} organizations + 1 partner with {World.PartnerClients:N0} of them as clients, {World.RegularUsers + 5:N0} users, {World.TotalMemberships:N0} memberships, notes in every organization ({Path.GetFileName(World.CachedPath)})";
    }

    private static void Targets(StringBuilder md, List<Figure> inProcess, List<Figure> circuits, List<Figure> findings)
    {
        md.AppendLine("## Targets").AppendLine()
            .AppendLine("Server times are medians (p95 in the tables below). \"After\" is the proposed change measured by hand in a copy of the world (see Findings).").AppendLine()
            .AppendLine("| Target | At the largest size | Met? | After the proposed change |")
            .AppendLine("| --- | --- | --- | --- |");
        foreach (var group in new[] { "switching", "members" })
        {
            foreach (var name in inProcess.Where(f => f.Group == group).Select(f => f.Name).Distinct())
            {
                var largest = inProcess.Where(f => f.Group == group && f.Name == name).MaxBy(f => f.Size)!;
                var after = findings.FirstOrDefault(f => f.Group == "sql-after" && f.Name == name && f.Size == largest.Size);
                md.AppendLine(Invariant, $"| {Title(group)}: {name} < {ServerTargetMs:N0} ms | {largest.Median:N1} ms at {largest.SizeLabel} | {Met(largest.Median < ServerTargetMs)} | {(after is null ? "" : $"{after.Median:N1} ms: {Met(after.Median < ServerTargetMs)}")} |");
            }
        }

        var copy = inProcess.Where(f => f.Group == "onboarding" && f.Name.StartsWith("Client by copy", StringComparison.Ordinal)).MaxBy(f => f.Size);
        md.AppendLine(copy is null
            ? "| Onboarding by copy at issue 4's size < 2 s | not measured (no partner schema) | | |"
            : FormattableString.Invariant($"| Onboarding by copy at issue 4's size (500 accounts, 100 tax codes, 20 entities, 50 workflows of 10 steps) < {Onboarding.CopyTargetMs / 1000:N0} s (issue 4) | {copy.Median:N0} ms ({copy.SizeLabel} written) | {Met(copy.Median < Onboarding.CopyTargetMs)} | |"));

        foreach (var (size, ratio) in TenantRatios(inProcess))
        {
            md.AppendLine(Invariant, $"| Tenant filter within {TenantRatioTarget:N1}x the explicit WHERE ({Scenarios.Label(size)} notes) | {ratio:N2}x | {Met(ratio <= TenantRatioTarget)} | |");
        }

        foreach (var name in new[] { "Managed heap per idle circuit (dotnet-counters)", "Working set per idle circuit (VmRSS)" })
        {
            var largest = circuits.Where(f => f.Name == name).MaxBy(f => f.Size);
            if (largest is not null)
            {
                md.AppendLine(Invariant, $"| {name} < {CircuitTargetKb:N0} KB | {largest.Median:N0} KB at {largest.SizeLabel} circuits | {Met(largest.Median < CircuitTargetKb)} | see Findings |");
            }
        }

        if (circuits.Count == 0)
        {
            md.AppendLine("| Memory per idle circuit < 300 KB | not measured in this run | | |");
        }

        md.AppendLine();
    }

    private static IEnumerable<(long Size, double Ratio)> TenantRatios(List<Figure> inProcess)
    {
        foreach (var filtered in inProcess.Where(f => f.Group == "tenant" && f.Name.Contains("tenant filter", StringComparison.Ordinal)))
        {
            var explicitWhere = inProcess.FirstOrDefault(f => f.Group == "tenant" && f.Size == filtered.Size && f.Name.Contains("explicit WHERE", StringComparison.Ordinal));
            if (explicitWhere is not null)
            {
                yield return (filtered.Size, filtered.Median / explicitWhere.Median);
            }
        }
    }

    private static void Figures(StringBuilder md, List<Figure> inProcess, List<Figure> circuits)
    {
        md.AppendLine("## Figures").AppendLine()
            .AppendLine("Median (p95) in milliseconds of server time, in process, over the real services and the SQLite world.").AppendLine();
        Table(md, "Switcher: listing a user's organizations (by organizations the user belongs to)", inProcess.Where(f => f.Group == "switcher"));
        Table(md, "Switching organization: SwitchAsync + the user context refresh + what the dashboard loads", inProcess.Where(f => f.Group == "switching"));
        Table(md, "Members page (25 a page, as the owner; by members in the organization)", inProcess.Where(f => f.Group == "members"));
        Table(md, "Tenant filter: latest 50 notes + count (by notes in the organization)", inProcess.Where(f => f.Group == "tenant"), decimals: 3);
        Table(md, "Partner with 1,500 clients: client list, a staff member's switcher, a staff member's switch into a client", inProcess.Where(f => f.Group == "partner"));
        Table(md, "Onboarding a client (issue 4): by copy, by source configuration size (rows written); from templates", inProcess.Where(f => f.Group == "onboarding"), decimals: 1);
        var ratios = TenantRatios(inProcess).ToList();
        if (ratios.Count > 0)
        {
            md.AppendLine("Ratio tenant filter / explicit WHERE: " + string.Join(", ", ratios.Select(r => $"{r.Ratio:N2}x at {Scenarios.Label(r.Size)}"))).AppendLine();
        }

        md.AppendLine("![switcher and switching](chart-switching.png)").AppendLine()
            .AppendLine("![members page](chart-members.png)").AppendLine()
            .AppendLine("![tenant filter](chart-tenant.png)").AppendLine()
            .AppendLine("![onboarding by copy](chart-onboarding.png)").AppendLine();

        md.AppendLine("### Memory per idle circuit (real app, real Chromium pages on the dashboard)").AppendLine();
        if (circuits.Count == 0)
        {
            md.AppendLine("Not measured in this run.").AppendLine();
            return;
        }

        var counts = circuits.Where(f => f.Size > 1).Select(f => f.SizeLabel).Distinct().ToList();
        md.AppendLine("Per circuit = (memory with N circuits - memory with 1 circuit) / (N - 1), after a forced full GC.").AppendLine()
            .AppendLine("| Figure (KB per circuit) | " + string.Join(" | ", counts.Select(c => $"N = {c}")) + " |")
            .AppendLine("| --- |" + string.Concat(counts.Select(_ => " ---: |")));
        foreach (var name in circuits.Where(f => f.Size > 1).Select(f => f.Name).Distinct())
        {
            md.Append(Invariant, $"| {name} |");
            foreach (var count in counts)
            {
                var f = circuits.FirstOrDefault(x => x.Name == name && x.SizeLabel == count);
                md.Append(Invariant, $" {f?.Median:N0} ({f?.Note}) |");
            }

            md.AppendLine();
        }

        foreach (var baseline in circuits.Where(f => f.Size == 1))
        {
            md.AppendLine().Append(Invariant, $"{baseline.Name}: {baseline.Median / 1024:N1} MiB.");
        }

        md.AppendLine().AppendLine()
            .AppendLine("The working set per circuit falls as N grows because part of the growth from 1 to 10 circuits is one-off (GC regions")
            .AppendLine("committed, code compiled); the figure at N = 100 is the closest to the marginal cost of one more idle tab.").AppendLine()
            .AppendLine("![memory per circuit](chart-circuits.png)").AppendLine()
            .AppendLine("The types behind the managed figure: [circuit-heap.md](circuit-heap.md).").AppendLine();
    }

    private static void Table(StringBuilder md, string title, IEnumerable<Figure> figures, int decimals = 2)
    {
        var list = figures.ToList();
        if (list.Count == 0)
        {
            return;
        }

        md.AppendLine(Invariant, $"### {title}").AppendLine();
        var sizes = list.Select(f => f.Size).Distinct().Order().ToList();
        var byName = list.GroupBy(f => f.Name).ToList();
        var shared = byName.All(g => g.Select(f => f.Size).Order().SequenceEqual(sizes));
        if (shared)
        {
            md.AppendLine("| Figure | " + string.Join(" | ", sizes.Select(Scenarios.Label)) + " |")
                .AppendLine("| --- |" + string.Concat(sizes.Select(_ => " ---: |")));
            foreach (var g in byName)
            {
                md.Append(Invariant, $"| {g.Key} |");
                foreach (var size in sizes)
                {
                    var f = g.First(x => x.Size == size);
                    md.Append(' ').Append(f.Median.ToString($"N{decimals}", Invariant)).Append(" (").Append(f.P95.ToString($"N{decimals}", Invariant)).Append(") |");
                }

                md.AppendLine();
            }
        }
        else
        {
            // Series over different sizes: smallest, middle and largest size of each, the size in the cell.
            md.AppendLine("| Figure | smallest | middle | largest |").AppendLine("| --- | ---: | ---: | ---: |");
            foreach (var g in byName)
            {
                md.Append(Invariant, $"| {g.Key} |");
                foreach (var f in g.OrderBy(x => x.Size))
                {
                    md.Append(Invariant, $" {f.SizeLabel}: {f.Median.ToString($"N{decimals}", Invariant)} ({f.P95.ToString($"N{decimals}", Invariant)}) |");
                }

                md.AppendLine();
            }
        }

        var notes = list.Where(f => f.Note is not null).Select(f => $"{f.Name} at {f.SizeLabel}: {f.Note}").ToList();
        if (notes.Count > 0)
        {
            md.AppendLine().AppendLine("Notes: " + string.Join("; ", notes) + ".");
        }

        md.AppendLine();
    }

    private static void FindingsSection(StringBuilder md, List<Figure> inProcess, List<Figure> circuits, List<Figure> findings)
    {
        md.AppendLine("## Findings: why targets were or are missed, and the fixes").AppendLine();
        string F(string group, string name, long size, List<Figure> source) =>
            source.FirstOrDefault(f => f.Group == group && f.Name == name && f.Size == size) is { } f ? $"{f.Median:N1} ms" : "n/a";
        var largest = World.MemberSizes[^1];

        md.AppendLine("### 1. Members page at 100k members").AppendLine()
            .AppendLine("Cause (plans in [plans.md](plans.md) and [findings-plans.md](findings-plans.md)): the page filters on `OrganizationMembers`")
            .AppendLine("but sorts and searches on `AspNetUsers` columns (`NormalizedEmail`, `COALESCE(DisplayName, Email)`, `upper(DisplayName)`).")
            .AppendLine("No index can serve \"members of organization X in email order\", so SQLite reads all 100,000 memberships")
            .AppendLine("(`SEARCH o USING INDEX IX_OrganizationMembers_OrganizationId_Role`), looks each user up by primary key, and sorts them in a")
            .AppendLine("temp B-tree (`USE TEMP B-TREE FOR ORDER BY`). The deep page is worst: with `OFFSET 89,975` the sorter keeps 90,000 full rows")
            .AppendLine("(and spills to temp files). The search's `COUNT(*)` repeats the join and `instr(upper(...))` over all 100,000 rows.")
            .AppendLine("Covering indexes alone do not help (tried: `(OrganizationId, UserId, Role, CreatedAt)` and `AspNetUsers (Id, NormalizedEmail, Email, DisplayName)` left the plans and times unchanged).").AppendLine()
            .AppendLine("Fix, applied in migration `MemberSortKeys` (both providers) and `MemberService.ListAsync` (the service figures above are after it):").AppendLine()
            .AppendLine("1. Copy the sort/search keys onto the membership: `OrganizationMember.SortEmail` (= the user's `NormalizedEmail`) and")
            .AppendLine("   `OrganizationMember.SortName` (= `(DisplayName ?? Email).ToUpperInvariant()`), both `HasMaxLength(256)`, kept in sync when a")
            .AppendLine("   membership is added and when a user's email or display name changes.")
            .AppendLine("2. Indexes `IX_OrganizationMembers_OrganizationId_SortEmail (OrganizationId, SortEmail)` and")
            .AppendLine("   `IX_OrganizationMembers_OrganizationId_SortName_SortEmail (OrganizationId, SortName, SortEmail)`.")
            .AppendLine("3. `MemberService.ListAsync` sorts and searches on those columns, and picks the page's ids from the index before it joins")
            .AppendLine("   the users (`WHERE o.Id IN (SELECT Id ... ORDER BY SortName, SortEmail LIMIT 25 OFFSET n)`), so the 89,975 skipped rows are")
            .AppendLine("   never joined.").AppendLine()
            .AppendLine("Before and after, the same statements run by hand on SQLite (the access check, the count and the page), median ms:").AppendLine()
            .AppendLine("| Figure | " + string.Join(" | ", World.MemberSizes.Select(s => $"before {Scenarios.Label(s)}")) + " | " + string.Join(" | ", World.MemberSizes.Select(s => $"after {Scenarios.Label(s)}")) + " |")
            .AppendLine("| --- |" + string.Concat(Enumerable.Repeat(" ---: |", World.MemberSizes.Length * 2)));
        foreach (var (name, _, _) in Findings.Queries)
        {
            md.Append(Invariant, $"| {name} |");
            foreach (var size in World.MemberSizes)
            {
                md.Append(Invariant, $" {F("sql-today", name, size, findings)} |");
            }

            foreach (var size in World.MemberSizes)
            {
                md.Append(Invariant, $" {F("sql-after", name, size, findings)} |");
            }

            md.AppendLine();
        }

        md.AppendLine().AppendLine(Invariant, $"The \"after\" SQL is what the service sends now (service at {Scenarios.Label(largest)}: first page {F("members", "First page (sorted by email)", largest, inProcess)}, deep page {F("members", "Deep page sorted by name", largest, inProcess)}, search {F("members", "Search", largest, inProcess)}).")
            .AppendLine("What remains after the change at 100k is mostly `COUNT(*)` over the organization's 100,000 index entries (5-10 ms) and, for the")
            .AppendLine("search, one pass of `instr` over the organization's `SortName`/`SortEmail` index entries.")
            .AppendLine("Side effect found on the way: the search upper-cases `DisplayName` with SQLite's `upper()`, which only folds ASCII, so")
            .AppendLine("\"müller\" never finds \"Müller\"; a `SortName` computed with `ToUpperInvariant()` in .NET fixes that too.").AppendLine();

        md.AppendLine("### 2. Memory per idle circuit").AppendLine();
        var managed = circuits.Where(f => f.Name.StartsWith("Managed heap", StringComparison.Ordinal)).MaxBy(f => f.Size);
        var rss = circuits.Where(f => f.Name.StartsWith("Working set", StringComparison.Ordinal)).MaxBy(f => f.Size);
        if (managed is null)
        {
            md.AppendLine("Not measured in this run.").AppendLine();
        }
        else
        {
            md.AppendLine(Invariant, $"At {managed.SizeLabel} circuits each idle circuit holds {managed.Median:N0} KB of managed heap and adds {rss?.Median:N0} KB of working set (target {CircuitTargetKb:N0} KB).")
                .AppendLine("Cause (heap statistics in [circuit-heap.md](circuit-heap.md), read with `dotnet-gcdump` and `dotnet-dump`): an idle dashboard")
                .AppendLine("circuit keeps about 150 live components (MudBlazor's layout, app bar, drawer, nav links, icons, texts, cards), and Blazor")
                .AppendLine("Server retains, for every component, its last render tree (`RenderTreeFrame[]`, the largest item), a second builder, and")
                .AppendLine("an attribute dictionary (`Dictionary<string,int>`, from MudBlazor's `@attributes` splatting). `MudThemeProvider` alone")
                .AppendLine("keeps a 24 KB `<style>` string of the theme's CSS variables per circuit, and allocates its own default `MudTheme`")
                .AppendLine("(palettes, about 100 `MudColor` objects) although the app passes the static `MultiOrgTheme.Theme` (both seen with")
                .AppendLine("`dotnet-dump`). Each circuit's JS interop also builds its own System.Text.Json metadata cache (`JsonTypeInfo`,")
                .AppendLine("`JsonPropertyInfo`, about 20 KB). Nothing per circuit is the app's data: the dashboard's own state is a few KB.").AppendLine()
                .AppendLine("Proposed fixes (in MultiOrg.Web, each measurable with this driver):").AppendLine()
                .AppendLine("1. Render the static shell as plain HTML with MudBlazor CSS classes instead of components: the brand link, the drawer's")
                .AppendLine("   nav links (`MudNavLink` -> `NavLink` with `mud-nav-link` classes), the dashboard's stat cards and quick-action buttons")
                .AppendLine("   (`<a class=\"mud-button-root mud-button ...\">`), and icons as inline `<svg>` markup. Every component removed saves its")
                .AppendLine("   retained tree; the count above says how many there are of each.")
                .AppendLine("2. Serve the theme's CSS variables as a static stylesheet generated once (the theme is a static `MultiOrgTheme.Theme`),")
                .AppendLine("   rather than one `MudThemeProvider` `<style>` string per circuit; keep a light component only for dark-mode switching.")
                .AppendLine("3. Bound the cost of idle tabs: `CircuitOptions.DisconnectedCircuitMaxRetained` / `DisconnectedCircuitRetentionPeriod`")
                .AppendLine("   (defaults 100 / 3 min) and, for long-idle tabs, Blazor's circuit pause (`Blazor.pause()` on `visibilitychange`, .NET 10),")
                .AppendLine("   which moves a hidden tab's state to the client and frees the server's circuit.")
                .AppendLine("The 300 KB target is below what Blazor Server plus MudBlazor costs for this shell (roughly 5-6 KB per live component);")
                .AppendLine("meeting it needs fewer live components (fix 1) more than any setting.").AppendLine();
        }

        md.AppendLine("### 3. Met, but linear in the user's organization count").AppendLine()
            .AppendLine("Listing a user's organizations (the switcher, and the user context refresh inside every switch) reads all their")
            .AppendLine("memberships and sorts them in memory with a culture-aware comparer, so it grows linearly: see the switcher table. It is")
            .AppendLine("within target at 5,000; if switching must stay fast far beyond that, keep the user context per circuit and refresh only")
            .AppendLine("the entered organization's role on a switch instead of re-listing everything.").AppendLine();
    }

    private static void NotYet(StringBuilder md)
    {
        md.AppendLine("## Not measured yet").AppendLine()
            .AppendLine("- **Member import**: the feature is not in the app yet; its figure (rows imported against time) belongs in")
            .AppendLine("  `Scenarios.BuildAsync` when the service exists; the report picks up any new group.")
            .AppendLine("- The partner's 1,500 clients are measured in the partner table (client list, a staff member's switcher, a switch into a")
            .AppendLine("  client); the partner pages' other queries (client grid paging, source entity lists) are not yet.")
            .AppendLine("- Tenant-owned configuration rows: the world fills `OrganizationNotes` in every organization (3-8 each; 100 / 1,000 /")
            .AppendLine("  10,000 in the three sized ones); the accounting configuration tables are filled only in the three onboarding sources.").AppendLine();
    }

    private static void Method(StringBuilder md)
    {
        md.AppendLine("## Method").AppendLine()
            .AppendLine("- World: `bench/MultiOrg.Bench/World.cs`, deterministic (fixed seed and ids), schema from the app's SQLite migrations,")
            .AppendLine("  rows by prepared ADO.NET statements in one transaction (no password hashing), cached in `bench/.data/` by generator")
            .AppendLine("  version and migration set, copied per run. The issue asks for 2,000 organizations and a user in 5,000: the world has")
            .AppendLine("  5,000 so that user can exist. No `ANALYZE` is run, as the app never runs it.")
            .AppendLine("- In-process figures: a Stopwatch harness (warm-up of 3-60 runs within 1.5 s so tiered JIT settles, then 10-200 runs within about 4 s; median, p95) rather than")
            .AppendLine("  BenchmarkDotNet: the figures are milliseconds to a second of database work over a 190 MB file, where BenchmarkDotNet's")
            .AppendLine("  nanosecond machinery adds nothing, while its process-per-benchmark pilot and warm-up stages would, at these sizes on two")
            .AppendLine("  cores, cost most of the 15-minute budget; the harness also gives the p95 the targets care about. Services are the real")
            .AppendLine("  ones (DI scope per circuit), one DbContext per call as in the app. The tenant-filter pair runs alternately (A, B, A, B).")
            .AppendLine("- Noise: two cores, and the machine may be doing other work (builds, tests) during a run; medians are the figures")
            .AppendLine("  judged, p95 shows the spread. Rerun `bench/run.sh` on an idle machine before comparing small differences.")
            .AppendLine("- Switching = `SwitchAsync` + `GetUserContextAsync` (MainLayout's refresh) + `GetCurrentAsync` + `NoteService.ListAsync` (the")
            .AppendLine("  dashboard). Rendering the components is not included (it is in-memory and does not grow with the data).")
            .AppendLine("- Onboarding: on its own copy of the world, the bench owner is made owner of the partner and of three of its")
            .AppendLine("  clients, which get source configurations of three sizes through EF (the largest is issue 4's); every run onboards a new")
            .AppendLine("  client with `ClientOnboardingService.CreateByCopyAsync` (the entity holding the workflows) or `CreateFromTemplatesAsync`.")
            .AppendLine("- SQL and plans: captured from EF's DiagnosticListener while each scenario runs, then `EXPLAIN QUERY PLAN` and a timing")
            .AppendLine("  of each statement ([plans.md](plans.md)).")
            .AppendLine("- Circuits: `MultiOrg.Web` started from its Release build on a loopback port over a fresh SQLite file (Development environment,")
            .AppendLine("  as the browser tests run it), one signed-in Chromium context, N pages left on the dashboard with their circuits connected.")
            .AppendLine("  Memory after a forced full GC (`dotnet-gcdump`): managed heap = `dotnet.gc.last_collection.heap.size` summed over")
            .AppendLine("  generations (`dotnet-counters`), live objects from the gcdump, working set = `VmRSS` from `/proc/PID/status`.").AppendLine();
    }

    private static void Charts(List<Figure> inProcess, List<Figure> circuits, List<Figure> findings)
    {
        Chart(
            "chart-switching.png",
            "Switcher and switching: server time against size",
            "size (organizations of the user, or members of the target)",
            "ms (median, log scale)",
            [
                .. Series(inProcess, "switcher", null, "List my organizations (by orgs)"),
                .. Series(inProcess, "switching", null, null),
            ],
            ServerTargetMs,
            logY: true);
        Chart(
            "chart-members.png",
            "Members page: server time against members",
            "members in the organization",
            "ms (median, log scale)",
            [
                .. Series(inProcess, "members", null, null),
                .. Series(findings, "sql-after", null, null, " (proposed)", dashed: true),
            ],
            ServerTargetMs,
            logY: true);
        Chart(
            "chart-tenant.png",
            "Tenant filter against an explicit WHERE",
            "notes in the organization",
            "ms (median, log scale)",
            [.. Series(inProcess, "tenant", null, null)],
            target: null,
            logY: true);
        Chart(
            "chart-onboarding.png",
            "Onboarding a client by copy: server time against rows copied",
            "rows written by the copy",
            "ms (median)",
            [.. Series(inProcess, "onboarding", "Client by copy (three layers)", null)],
            Onboarding.CopyTargetMs,
            logY: false);
        Chart(
            "chart-circuits.png",
            "Memory per idle circuit",
            "circuits open (N)",
            "KB per circuit",
            [.. Series(circuits.Where(f => f.Size > 1).ToList(), "circuits", null, null)],
            CircuitTargetKb,
            logY: false);
    }

    private sealed record Line(string Name, double[] Sizes, double[] Values, bool Dashed);

    private static IEnumerable<Line> Series(List<Figure> figures, string group, string? name, string? title, string suffix = "", bool dashed = false)
    {
        foreach (var g in figures.Where(f => f.Group == group && (name is null || f.Name == name)).GroupBy(f => f.Name))
        {
            var ordered = g.OrderBy(f => f.Size).ToList();
            yield return new Line((title ?? g.Key) + suffix, [.. ordered.Select(f => (double)f.Size)], [.. ordered.Select(f => f.Median)], dashed);
        }
    }

    private static void Chart(string file, string title, string xLabel, string yLabel, List<Line> lines, double? target, bool logY)
    {
        if (lines.Count == 0)
        {
            return;
        }

        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var index = 0;
        foreach (var line in lines)
        {
            var xs = line.Sizes.Select(Math.Log10).ToArray();
            var ys = logY ? line.Values.Select(v => Math.Log10(Math.Max(v, 0.001))).ToArray() : line.Values;
            var scatter = plot.Add.Scatter(xs, ys, palette.GetColor(index++));
            scatter.LegendText = line.Name;
            scatter.MarkerSize = 7;
            scatter.LineWidth = 2;
            if (line.Dashed)
            {
                scatter.LinePattern = LinePattern.Dashed;
            }
        }

        if (target is { } t)
        {
            var h = plot.Add.HorizontalLine(logY ? Math.Log10(t) : t);
            h.LinePattern = LinePattern.Dotted;
            h.Color = Colors.Red;
            h.LegendText = $"target {t:N0}";
        }

        var sizes = lines.SelectMany(l => l.Sizes).Distinct().Order().ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. sizes.Select(Math.Log10)], [.. sizes.Select(s => Scenarios.Label((long)s))]);
        if (logY)
        {
            var all = lines.SelectMany(l => l.Values).Append(target ?? 1).ToList();
            var low = Math.Floor(Math.Log10(Math.Max(all.Min(), 0.001)));
            var high = Math.Ceiling(Math.Log10(all.Max()));
            var ticks = new List<double>();
            var labels = new List<string>();
            for (var e = low; e <= high; e++)
            {
                foreach (var m in new[] { 1, 2, 5 })
                {
                    var v = m * Math.Pow(10, e);
                    ticks.Add(Math.Log10(v));
                    labels.Add(v >= 1 ? v.ToString("N0", Invariant) : v.ToString("0.###", Invariant));
                }
            }

            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks], [.. labels]);
            plot.Axes.SetLimitsY(low, high);
        }

        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(logY ? Alignment.UpperLeft : Alignment.UpperRight);
        plot.SavePng(Path.Combine(BenchPaths.Results, file), 1000, 560);
    }

    private static string Title(string group) => group switch
    {
        "switching" => "Switching",
        "members" => "Members page",
        _ => group,
    };

    private static string Met(bool met) => met ? "**met**" : "**missed**";

    private static string? ReadFirst(string path, string prefix) =>
        File.Exists(path) ? File.ReadLines(path).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) : null;

    private static string Git(string arguments)
    {
        try
        {
            var start = new System.Diagnostics.ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = BenchPaths.RepositoryRoot };
            using var process = System.Diagnostics.Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "?";
        }
    }
}
