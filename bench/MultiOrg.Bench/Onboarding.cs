using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using MultiOrg.Domain.Accounting;
using MultiOrg.Domain.Clients;

namespace MultiOrg.Bench;

/// <summary>
/// Issue 4's figures over the world's partner (1,500 clients): onboarding a client by copy from a
/// source configuration of three sizes (the largest is issue 4's: 500 accounts, 100 tax codes, 20 entities, 50
/// workflows of 10 steps), onboarding from templates, and listing the partner's clients. Runs on its own copy of the
/// world, where the bench owner is made owner of the partner and of three clients that hold the source configurations.
/// </summary>
internal static class Onboarding
{
    public const double CopyTargetMs = 2000;

    /// <summary>(label, accounts, tax codes, entities, workflows of 10 steps on the copied entity).</summary>
    public static readonly (string Label, int Accounts, int TaxCodes, int Entities, int Workflows)[] Sizes =
    [
        ("50 accounts, 10 tax codes, 2 entities, 5 workflows", 50, 10, 2, 5),
        ("200 accounts, 40 tax codes, 8 entities, 20 workflows", 200, 40, 8, 20),
        ("500 accounts, 100 tax codes, 20 entities, 50 workflows", 500, 100, 20, 50),
    ];

    public static string ResultsPath => Path.Combine(BenchPaths.Results, "onboarding.json");

    public static async Task<List<Figure>> RunAsync()
    {
        var path = World.WorkingCopy("onboarding");
        if (!PartnerSchema(path))
        {
            Console.WriteLine("Onboarding: the schema has no partners yet; skipped.");
            return [];
        }

        // The bench owner runs the partner and (for seeding) the three source clients 5, 6 and 7.
        Grant(path, [World.PartnerOrganization, .. Enumerable.Range(0, Sizes.Length).Select(i => World.OrganizationId(5 + i))]);
        Console.WriteLine($"Onboarding: {path}");
        var keepAlive = new List<IAsyncDisposable>();
        await using var services = Circuit.Services(path);
        var figures = new List<Figure>();
        try
        {
            var partner = new Circuit(services, World.OwnerUserId);
            keepAlive.Add(partner);
            await partner.Door.EnterAsync(World.PartnerOrganization);
            var onboarding = partner.Get<ClientOnboardingService>();

            var clients = World.PartnerClients.ToString("N0", CultureInfo.InvariantCulture);
            figures.Add(await Harness.MeasureAsync("partner", "List the partner's clients (organizations page)", World.PartnerClients, clients, () => onboarding.ListClientsAsync()));

            // A partner's staff member: one membership, and the switcher lists the partner with its 1,500 clients.
            var staff = new Circuit(services, World.PartnerStaffUserId);
            keepAlive.Add(staff);
            var listed = (await staff.Organizations.ListMineAsync()).Count;
            figures.Add(await Harness.MeasureAsync("partner", "Switcher list of a partner's staff member", World.PartnerClients, clients, () => staff.Organizations.ListMineAsync(), $"{listed:N0} organizations listed"));
            var client = World.OrganizationId(10);
            await staff.Door.EnterAsync(client);
            figures.Add(await Harness.MeasureAsync("partner", "Switch into a client (partner staff)", World.PartnerClients, clients, () => Scenarios.SwitchAsync(staff, client)));

            var counter = 0;
            for (var s = 0; s < Sizes.Length; s++)
            {
                var (label, accounts, taxCodes, entities, workflows) = Sizes[s];
                var sourceId = World.OrganizationId(5 + s);
                var seeder = new Circuit(services, World.OwnerUserId);
                keepAlive.Add(seeder);
                await seeder.Door.EnterAsync(sourceId);
                var entityId = await SeedAsync(seeder, accounts, taxCodes, entities, workflows);
                // One onboarding outside the timing, to report what a copy writes (and any layer that failed).
                var check = await onboarding.CreateByCopyAsync(new CopyOnboarding($"Bench copy {counter++}", sourceId, entityId));
                var rows = check.Copied.Values.Sum();
                var copied = string.Join(", ", check.Copied.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}"));
                Console.WriteLine($"  copy of {label}: {rows} rows ({copied}){(check.Warnings.Count > 0 ? "; WARNINGS: " + string.Join(" ", check.Warnings) : "")}");
                figures.Add(await Harness.MeasureAsync(
                    "onboarding",
                    "Client by copy (three layers)",
                    rows,
                    $"{rows:N0} rows",
                    () => onboarding.CreateByCopyAsync(new CopyOnboarding($"Bench copy {counter++}", sourceId, entityId)),
                    check.Warnings.Count > 0 ? $"{label}; layer 3 failed: {check.Warnings[0]}" : label));
            }

            figures.Add(await Harness.MeasureAsync(
                "onboarding",
                "Client from templates (US GAAP, US)",
                0,
                "templates",
                () => onboarding.CreateFromTemplatesAsync(new TemplateOnboarding($"Bench template {counter++}", "US"))));
        }
        finally
        {
            foreach (var item in keepAlive)
            {
                await item.DisposeAsync();
            }
        }

        return figures;
    }

    public static bool PartnerSchema(string path)
    {
        using var connection = new SqliteConnection(World.ConnectionString(path) + ";Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM pragma_table_info('Organizations') WHERE name IN ('Kind', 'PartnerOrganizationId')";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) == 2;
    }

    public static void Grant(string path, IEnumerable<Guid> organizations)
    {
        using var connection = new SqliteConnection(World.ConnectionString(path) + ";Pooling=False");
        connection.Open();
        var index = 0;
        foreach (var organization in organizations)
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT OR IGNORE INTO OrganizationMembers (Id, UserId, OrganizationId, Role, CreatedAt, UpdatedAt)
                VALUES ($id, $user, $org, 'OWNER', '2026-01-01 00:00:00', '2026-01-01 00:00:00')
                """;
            command.Parameters.AddWithValue("$id", new Guid(9, 9, 9, 0, 0, 0, 0, 0, 0, 0, (byte)index++).ToString().ToUpperInvariant());
            command.Parameters.AddWithValue("$user", World.OwnerUserId);
            command.Parameters.AddWithValue("$org", organization.ToString().ToUpperInvariant());
            command.ExecuteNonQuery();
        }

        // The partner is on the Partner plan: the plan that includes client organizations.
        using var subscribe = connection.CreateCommand();
        subscribe.CommandText = """
            INSERT OR IGNORE INTO Subscriptions (Id, OrganizationId, PlanCode, Seats, Status, PeriodStart, PeriodEnd, PeriodPlanCode, PeriodSeats, BilledToPartner, CreatedAt, UpdatedAt)
            VALUES ('00000009-0009-0009-0000-000000000099', $org, 'partner', 25, 'Active', '2026-11-01 00:00:00', '2026-12-01 00:00:00', 'partner', 25, 0, '2026-11-01 00:00:00', '2026-11-01 00:00:00')
            """;
        subscribe.Parameters.AddWithValue("$org", World.PartnerOrganization.ToString().ToUpperInvariant());
        subscribe.ExecuteNonQuery();
    }

    /// <summary>A source configuration of the given size (every kind of row); returns the entity that holds the workflows.</summary>
    private static async Task<Guid> SeedAsync(Circuit circuit, int accounts, int taxCodes, int entities, int workflows)
    {
        await using var db = circuit.CreateContext();
        var root = new Account { Number = "1000", Name = "Assets", Type = AccountType.Asset };
        var all = new List<Account> { root };
        for (var i = 1; i < accounts; i++)
        {
            all.Add(new Account { Number = (1000 + (i * 10)).ToString(CultureInfo.InvariantCulture), Name = $"Account {i}", Type = (AccountType)(i % 5), ParentAccountId = root.Id });
        }

        db.Set<Account>().AddRange(all);
        for (var a = 0; a < Math.Max(1, taxCodes / 10); a++)
        {
            var authority = new TaxAuthority { Name = $"Authority {a}", CountryCode = "US", Region = $"R{a}" };
            db.Set<TaxAuthority>().Add(authority);
            for (var c = 0; c < 10 && (a * 10) + c < taxCodes; c++)
            {
                db.Set<TaxCode>().Add(new TaxCode { Code = $"T{a:D2}{c}", Name = $"Tax {a}.{c}", RatePercent = c, TaxAuthorityId = authority.Id });
            }
        }

        db.Set<PaymentTerm>().Add(new PaymentTerm { Code = "NET30", Name = "Net 30", DueDays = 30 });
        db.Set<Jurisdiction>().Add(new Jurisdiction { Code = "US-CA", Name = "California", Kind = JurisdictionKind.Payroll, CountryCode = "US", Region = "CA" });
        db.Set<AgentConfiguration>().Add(new AgentConfiguration { AgentKey = "ap-clerk", Name = "AP clerk", IsEnabled = true });
        db.Set<SkillFile>().Add(new SkillFile { Path = "skills/ap.md", Content = "# Paying bills" });
        db.Set<NumberSeries>().Add(new NumberSeries { Code = "INV", Prefix = "INV-" });
        LegalEntity? first = null;
        for (var e = 0; e < entities; e++)
        {
            var entity = new LegalEntity { Code = $"E{e:D2}", Name = $"Entity {e}", CountryCode = "US", CurrencyCode = "USD" };
            first ??= entity;
            db.Set<LegalEntity>().Add(entity);
        }

        for (var p = 0; p < 10; p++)
        {
            db.Set<PostingProfile>().Add(new PostingProfile { LegalEntityId = first!.Id, Name = $"Profile {p}", DebitAccountId = all[(p + 1) % all.Count].Id, CreditAccountId = all[(p + 2) % all.Count].Id });
            db.Set<TransactionTypeProfile>().Add(new TransactionTypeProfile { LegalEntityId = first.Id, Name = $"Type {p}", TransactionType = p % 2 == 0 ? "AR" : "AP" });
        }

        for (var w = 0; w < workflows; w++)
        {
            var workflow = new WorkflowDefinition { LegalEntityId = first!.Id, Name = $"Approval {w}" };
            db.Set<WorkflowDefinition>().Add(workflow);
            Guid? parent = null;
            for (var s = 1; s <= 10; s++)
            {
                var step = new WorkflowStep { WorkflowDefinitionId = workflow.Id, Sequence = s, Name = $"Step {s}", ParentStepId = parent };
                db.Set<WorkflowStep>().Add(step);
                db.Set<WorkflowCondition>().Add(new WorkflowCondition { WorkflowStepId = step.Id, Field = "amount", Operator = ">", Value = (s * 100).ToString(CultureInfo.InvariantCulture) });
                parent = step.Id;
            }
        }

        await db.SaveChangesAsync();
        return first!.Id;
    }
}

internal static class CircuitServices
{
    public static T Get<T>(this Circuit circuit)
        where T : notnull => circuit.Provider.GetRequiredService<T>();
}
