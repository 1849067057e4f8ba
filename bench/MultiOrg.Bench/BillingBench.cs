using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MultiOrg.Data;
using MultiOrg.Domain;
using MultiOrg.Domain.Billing;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Domain.Users;

namespace MultiOrg.Bench;

/// <summary>
/// Issue 10's figures: recording one usage entry (an API-key request's debit and its day rollup, under the
/// organization's write lock), and the billing summary and a ledger page of an organization whose ledger holds
/// 1,000,000 entries spread over the last twelve months. Own small database: the ledger's size is what matters.
/// </summary>
internal static class BillingBench
{
    public const int Entries = 1_000_000;
    public const double DebitTargetMs = 5;
    public const double ReadTargetMs = 50;

    public static string ResultsPath => Path.Combine(BenchPaths.Results, "billing.json");

    public static async Task<List<Figure>> RunAsync()
    {
        var path = Path.Combine(BenchPaths.Data, "billing.db");
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }

        var provider = new MultiOrgDbProvider(DatabaseProvider.Sqlite, World.ConnectionString(path));
        var owner = new AppUser { UserName = "owner@billing.example", Email = "owner@billing.example", NormalizedEmail = "OWNER@BILLING.EXAMPLE", EmailConfirmed = true };
        var organization = new Organization { Name = "Metered Corp" };
        organization.Members.Add(OrganizationMember.For(owner, organization.Id, OrganizationRole.Owner));
        await using (var db = provider.Create(new TenantContext()))
        {
            await db.Database.MigrateAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            db.Users.Add(owner);
            db.Organizations.Add(organization);
            await db.SaveChangesAsync();
        }

        var seeded = System.Diagnostics.Stopwatch.StartNew();
        SeedLedger(path, organization.Id);
        Console.WriteLine($"  seeded {Entries:N0} ledger entries in {seeded.Elapsed.TotalSeconds:N1} s");

        var services = new ServiceCollection();
        services.AddSingleton(provider);
        services.AddScoped<TenantContext>();
        services.AddScoped<IMultiOrgDbFactory, MultiOrgDbFactory>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new PlanCatalog(BillingOptions.Defaults()));
        services.AddLogging();
        services.AddSingleton<MultiOrg.Domain.Events.IOrganizationEvents, MultiOrg.Web.Events.InProcessOrganizationEvents>();
        services.AddScoped<OrganizationService>();
        services.AddScoped<OrganizationDoor>();
        services.AddScoped<MultiOrg.Domain.Scim.ScimTokenService>();
        services.AddScoped<MultiOrg.Domain.FeatureSwitches.FeatureService>();
        services.AddScoped<BillingService>();
        await using var root = services.BuildServiceProvider();
        await using var scope = root.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<OrganizationDoor>().EnterAsync(Caller.Person(owner.Id), Door.Page, organization.Id, clientIp: null);
        var billing = scope.ServiceProvider.GetRequiredService<BillingService>();
        var size = Entries.ToString("N0", CultureInfo.InvariantCulture);

        var figures = new List<Figure>
        {
            await Harness.MeasureAsync("billing", "Record one usage entry (debit + day rollup)", Entries, size,
                () => billing.DebitUsageAsync(UsageKinds.ApiRequest, "Bench key"), $"target p95 < {DebitTargetMs:N0} ms"),
            await Harness.MeasureAsync("billing", "Billing summary (live page: period check + reads)", Entries, size,
                () => billing.GetSummaryAsync(), $"target < {ReadTargetMs:N0} ms"),
            await Harness.MeasureAsync("billing", "Ledger, first page of 50", Entries, size,
                () => billing.ListLedgerAsync(new LedgerQuery(PageSize: 50)), $"target < {ReadTargetMs:N0} ms"),
            await Harness.MeasureAsync("billing", "Ledger, page 10,000 of 50", Entries, size,
                () => billing.ListLedgerAsync(new LedgerQuery(Page: 10_000, PageSize: 50)), $"target < {ReadTargetMs:N0} ms"),
            await Harness.MeasureAsync("billing", "Ledger, usage only, first page of 50", Entries, size,
                () => billing.ListLedgerAsync(new LedgerQuery(Kind: CreditEntryKind.Usage, PageSize: 50)), $"target < {ReadTargetMs:N0} ms"),
        };

        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }

        return figures;
    }

    /// <summary>
    /// A year of history written straight into the table (one allowance a month, the rest usage), with the running
    /// balance and sequence the service keeps, ending at the current period so the summary has nothing to close.
    /// </summary>
    private static void SeedLedger(string path, Guid organizationId)
    {
        using var connection = new SqliteConnection(World.ConnectionString(path) + ";Pooling=False");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        var now = DateTime.UtcNow;
        var (periodStart, periodEnd) = Subscription.PeriodOf(now);
        using (var subscription = connection.CreateCommand())
        {
            subscription.CommandText = """
                INSERT INTO Subscriptions (Id, OrganizationId, PlanCode, Seats, Status, PeriodStart, PeriodEnd, PeriodPlanCode, PeriodSeats, BilledToPartner, CreatedAt, UpdatedAt)
                VALUES ($id, $org, 'business', 50, 'Active', $start, $end, 'business', 50, 0, $start, $start)
                """;
            subscription.Parameters.AddWithValue("$id", Guid.NewGuid().ToString().ToUpperInvariant());
            subscription.Parameters.AddWithValue("$org", organizationId.ToString().ToUpperInvariant());
            subscription.Parameters.AddWithValue("$start", periodStart);
            subscription.Parameters.AddWithValue("$end", periodEnd);
            subscription.ExecuteNonQuery();
        }

        using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO CreditEntries (Id, OrganizationId, Sequence, Kind, Amount, BalanceAfter, Reason, UsageKind, UsageSource, IdempotencyKey, OccurredAt)
            VALUES ($id, $org, $seq, $kind, $amount, $balance, $reason, $usageKind, 'Bench key', $key, $at)
            """;
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        insert.Parameters.AddWithValue("$org", organizationId.ToString().ToUpperInvariant());
        var sequence = insert.Parameters.Add("$seq", SqliteType.Integer);
        var kind = insert.Parameters.Add("$kind", SqliteType.Text);
        var amount = insert.Parameters.Add("$amount", SqliteType.Integer);
        var balanceAfter = insert.Parameters.Add("$balance", SqliteType.Integer);
        var reason = insert.Parameters.Add("$reason", SqliteType.Text);
        var usageKind = insert.Parameters.Add("$usageKind", SqliteType.Text);
        var key = insert.Parameters.Add("$key", SqliteType.Text);
        var at = insert.Parameters.Add("$at", SqliteType.Text);
        insert.Prepare();

        var start = periodStart.AddMonths(-11);
        var span = now - start;
        long balance = 0;
        var month = DateTime.MinValue;
        var usagePerDay = new Dictionary<DateOnly, long>();
        for (var i = 1; i <= Entries; i++)
        {
            var when = start + (span * ((double)i / (Entries + 1)));
            var monthOf = new DateTime(when.Year, when.Month, 1, 0, 0, 0, DateTimeKind.Utc);
            var grant = monthOf != month;
            month = monthOf;
            var delta = grant ? 1_000_000L : -1L;
            balance += delta;
            id.Value = Guid.CreateVersion7(when).ToString().ToUpperInvariant();
            sequence.Value = i;
            kind.Value = grant ? "Grant" : "Usage";
            amount.Value = delta;
            balanceAfter.Value = balance;
            reason.Value = grant ? "Business monthly allowance" : "api-request: Bench key";
            usageKind.Value = grant ? DBNull.Value : UsageKinds.ApiRequest;
            key.Value = grant ? $"allowance:{monthOf:yyyy-MM}" : $"usage:{i}";
            at.Value = when.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
            insert.ExecuteNonQuery();
            if (!grant)
            {
                var day = DateOnly.FromDateTime(when);
                usagePerDay[day] = usagePerDay.GetValueOrDefault(day) + 1;
            }
        }

        // The per-day rollup the service keeps beside each usage entry.
        using var rollup = connection.CreateCommand();
        rollup.CommandText = "INSERT INTO CreditUsageDays (Id, OrganizationId, Day, UsageKind, Credits) VALUES ($id, $org, $day, 'api-request', $credits)";
        var rollupId = rollup.Parameters.Add("$id", SqliteType.Text);
        rollup.Parameters.AddWithValue("$org", organizationId.ToString().ToUpperInvariant());
        var rollupDay = rollup.Parameters.Add("$day", SqliteType.Text);
        var credits = rollup.Parameters.Add("$credits", SqliteType.Integer);
        foreach (var (day, used) in usagePerDay)
        {
            rollupId.Value = Guid.NewGuid().ToString().ToUpperInvariant();
            rollupDay.Value = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            credits.Value = used;
            rollup.ExecuteNonQuery();
        }

        transaction.Commit();
    }
}
