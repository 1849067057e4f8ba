using System.Diagnostics;
using System.Globalization;
using MultiOrg.Domain.Accounting;
using MultiOrg.Domain.Clients;

namespace MultiOrg.Bench;

/// <summary>
/// Issue 13's figures over the world's partner and its 1,500 clients: loading the partner dashboard (first page, a
/// search, a sort by last activity) and pushing ten new tax codes to every client, each client in its own transaction.
/// </summary>
internal static class PartnerBench
{
    public const double DashboardTargetMs = 1000;
    public const double PushTargetSeconds = 60;
    public const int PushedItems = 10;

    public static string ResultsPath => Path.Combine(BenchPaths.Results, "partner.json");

    public static async Task<List<Figure>> RunAsync()
    {
        var path = World.WorkingCopy("partner");
        Onboarding.Grant(path, [World.PartnerOrganization]);
        await using var services = Circuit.Services(path);
        await using var partner = new Circuit(services, World.OwnerUserId);
        await partner.Door.EnterAsync(World.PartnerOrganization);
        var dashboard = partner.Get<PartnerAggregationService>();
        var clients = World.PartnerClients.ToString("N0", CultureInfo.InvariantCulture);
        var figures = new List<Figure>
        {
            await Harness.MeasureAsync("partner", "Partner dashboard, first page (summary + 25 clients)", World.PartnerClients, clients,
                () => dashboard.GetDashboardAsync(new PartnerDashboardQuery()), $"target < {DashboardTargetMs:N0} ms"),
            await Harness.MeasureAsync("partner", "Partner dashboard, search", World.PartnerClients, clients,
                () => dashboard.GetDashboardAsync(new PartnerDashboardQuery(Search: "12")), $"target < {DashboardTargetMs:N0} ms"),
            await Harness.MeasureAsync("partner", "Partner dashboard, sorted by last activity", World.PartnerClients, clients,
                () => dashboard.GetDashboardAsync(new PartnerDashboardQuery(Sort: ClientSort.LastActivity, Descending: true)), $"target < {DashboardTargetMs:N0} ms"),
        };

        // Ten new tax codes in the partner, pushed to every client once (a push is not repeatable: a re-run is all "identical").
        var accounting = partner.Get<AccountingService>();
        var items = new List<ItemRef>();
        for (var i = 0; i < PushedItems; i++)
        {
            var code = $"BENCH{i:00}";
            await accounting.SaveTaxCodeAsync(null, code, $"Bench rate {i}", 5 + i, TaxDirection.Both);
            items.Add(new ItemRef(ConfigurationKind.TaxCode, code));
        }

        var push = partner.Get<ConfigurationPushService>();
        var watch = Stopwatch.StartNew();
        var report = await push.ApplyAsync(new PushRequest(items, [], null));
        watch.Stop();
        var changed = report.Clients.Count(c => c.Outcome == PushOutcome.Changed);
        var seconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"  push of {PushedItems} items to {report.Clients.Count:N0} clients: {seconds:N1} s ({changed:N0} changed)");
        figures.Add(new Figure("partner", $"Push {PushedItems} tax codes to every client (own transaction each)", report.Clients.Count, clients,
            seconds, seconds, seconds, 1, "s", $"{changed:N0} changed; target < {PushTargetSeconds:N0} s"));

        watch.Restart();
        var rerun = await push.ApplyAsync(new PushRequest(items, [], null));
        watch.Stop();
        Console.WriteLine($"  re-run: {watch.Elapsed.TotalSeconds:N1} s ({rerun.Clients.Count(c => c.Outcome == PushOutcome.Changed)} changed)");
        figures.Add(new Figure("partner", "Re-run of the same push (all identical)", rerun.Clients.Count, clients,
            watch.Elapsed.TotalSeconds, watch.Elapsed.TotalSeconds, watch.Elapsed.TotalSeconds, 1, "s"));
        return figures;
    }
}
