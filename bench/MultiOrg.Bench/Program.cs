using MultiOrg.Bench;

var command = args.Length > 0 ? args[0] : "help";
if (command is "inprocess" or "findings" or "onboarding" or "circuits" or "partner" or "import" or "billing" or "dashboard" or "scale")
{
    File.AppendAllText(InProcess.LoadPath, $"{command} started: load average {InProcess.LoadAverage()}\n");
}

switch (command)
{
    case "generate":
        World.Ensure();
        break;
    case "inprocess":
    {
        var path = World.WorkingCopy("inprocess");
        var figures = await InProcess.RunAsync(path, "In-process figures");
        new FigureSet("In-process", DateTime.UtcNow, figures).Save(InProcess.ResultsPath);
        break;
    }

    case "plans":
    {
        var path = World.WorkingCopy("plans");
        await File.WriteAllTextAsync(InProcess.PlansPath, "# SQL and query plans of every in-process figure\n\n" + await InProcess.PlansAsync(path));
        Console.WriteLine($"Plans: {InProcess.PlansPath}");
        break;
    }

    case "circuits":
    {
        if (args.Length > 1)
        {
            Circuits.Counts = [.. args[1].Split(',').Select(n => int.Parse(n, System.Globalization.CultureInfo.InvariantCulture))];
        }

        Console.WriteLine("Idle circuits: the real app and real Chromium pages");
        var figures = await Circuits.RunAsync();
        new FigureSet("Circuits", DateTime.UtcNow, figures).Save(Circuits.ResultsPath);
        break;
    }

    case "findings":
    {
        var figures = await Findings.RunAsync();
        new FigureSet("Findings", DateTime.UtcNow, figures).Save(Findings.ResultsPath);
        var path = World.WorkingCopy("findings-plans");
        var plans = "## Today\n\n" + Findings.Plans(path, before: true);
        InProcess.Apply(path, Findings.ProposedSchema);
        plans += "## With the proposed schema\n\n" + Findings.Plans(path, before: false);
        await File.WriteAllTextAsync(Path.Combine(BenchPaths.Results, "findings-plans.md"), "# Members page at 100k: plans today and with the proposed change\n\n" + plans);
        break;
    }

    case "onboarding":
    {
        var figures = await Onboarding.RunAsync();
        new FigureSet("Onboarding", DateTime.UtcNow, figures).Save(Onboarding.ResultsPath);
        break;
    }

    case "partner":
    {
        var figures = await PartnerBench.RunAsync();
        new FigureSet("Partner", DateTime.UtcNow, figures).Save(PartnerBench.ResultsPath);
        break;
    }

    case "import":
    {
        Console.WriteLine($"Import: {Import.Rows:N0}-row CSV into an organization of {Import.ExistingMembers:N0} members");
        var figures = await Import.RunAsync();
        new FigureSet("Import", DateTime.UtcNow, figures).Save(Import.ResultsPath);
        break;
    }

    case "billing":
    {
        Console.WriteLine($"Billing: an organization with {BillingBench.Entries:N0} ledger entries");
        var figures = await BillingBench.RunAsync();
        new FigureSet("Billing", DateTime.UtcNow, figures).Save(BillingBench.ResultsPath);
        break;
    }

    case "dashboard":
    {
        Console.WriteLine($"Organization dashboard: {DashboardBench.Members:N0} members in {DashboardBench.Teams:N0} teams");
        var figures = await DashboardBench.RunAsync();
        new FigureSet("Dashboard", DateTime.UtcNow, figures).Save(DashboardBench.ResultsPath);
        break;
    }

    case "scale":
    {
        Console.WriteLine($"Several servers: an event from server A to {ScaleBench.IdlePages} idle tabs on server B, {ScaleBench.Changes} times");
        var loadBefore = InProcess.LoadAverage();
        var figures = await ScaleBench.RunAsync();
        var set = new FigureSet("Scale", DateTime.UtcNow, figures);
        set.Save(ScaleBench.ResultsPath);
        ScaleBench.WriteReport(set, loadBefore, InProcess.LoadAverage());
        break;
    }

    case "faults":
    {
        Console.WriteLine("Fault figures: write rates on SQLite and PostgreSQL, a server SIGKILLed mid-stream, Redis stopped for 10 s");
        var loadBefore = InProcess.LoadAverage();
        var notes = new FaultNotes();
        var figures = await FaultsBench.RunAsync(notes);
        var set = new FigureSet("Faults", DateTime.UtcNow, figures);
        set.Save(FaultsBench.ResultsPath);
        FaultsBench.WriteReport(set, notes, loadBefore, InProcess.LoadAverage());
        break;
    }

    case "report":
        Report.Write();
        break;

    default:
        Console.WriteLine("usage: MultiOrg.Bench generate|inprocess|plans|circuits [10,50,100]|findings|onboarding|partner|import|billing|dashboard|scale|faults|report");
        return 2;
}

return 0;
