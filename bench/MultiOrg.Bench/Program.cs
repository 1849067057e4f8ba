using MultiOrg.Bench;

var command = args.Length > 0 ? args[0] : "help";
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

    default:
        Console.WriteLine("usage: MultiOrg.Bench generate|inprocess|plans|circuits|report");
        return 2;
}

return 0;
