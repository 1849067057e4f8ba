using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MultiOrg.Data;
using MultiOrg.Domain;
using MultiOrg.Domain.Invitations;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Domain.Users;
using MultiOrg.Web.Email;
using MultiOrg.Web.Features.Invitations;

namespace MultiOrg.Bench;

/// <summary>
/// Issue 7's figure: importing a 10,000-row CSV (a mix of new people, existing members, invalid emails, unknown roles
/// and duplicates) into an organization of 1,000 members, on SQLite, with every invitation mail written to a pickup
/// folder by the app's own sender. Preview (read and plan) and apply (read, plan, save, mail) are timed separately, each
/// into a fresh organization. Uses its own small database, not the world: the world's size does not change the import.
/// </summary>
internal static class Import
{
    public const double TargetMs = 10_000;
    public const int Rows = 10_000;
    public const int ExistingMembers = 1_000;
    public const int Runs = 5;

    public static string ResultsPath => Path.Combine(BenchPaths.Results, "import.json");

    public static async Task<List<Figure>> RunAsync()
    {
        var path = Path.Combine(BenchPaths.Data, "import.db");
        var mail = Path.Combine(BenchPaths.Data, "import-mail");
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }

        var provider = new MultiOrgDbProvider(DatabaseProvider.Sqlite, World.ConnectionString(path));
        await using (var db = provider.Create(new TenantContext()))
        {
            await db.Database.MigrateAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }

        var (ownerId, members) = await SeedPeopleAsync(provider);
        var csv = Csv(members);
        await using var services = Services(provider, mail);
        var preview = new List<double>();
        var apply = new List<double>();
        var applyCpu = new List<double>();
        using var process = Process.GetCurrentProcess();
        InviteResult? last = null;
        for (var run = 0; run < Runs; run++)
        {
            var organizationId = await NewOrganizationAsync(provider, ownerId, members, run);
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<OrganizationDoor>().EnterAsync(Caller.Person(ownerId), Door.Page, organizationId, clientIp: null);
            var invitations = scope.ServiceProvider.GetRequiredService<InvitationService>();

            var watch = Stopwatch.StartNew();
            await invitations.PreviewAsync(InvitationCsv.Read(new StringReader(csv), Rows));
            preview.Add(watch.Elapsed.TotalMilliseconds);

            if (Directory.Exists(mail))
            {
                Directory.Delete(mail, recursive: true);
            }

            process.Refresh();
            var cpu = process.TotalProcessorTime;
            watch.Restart();
            last = await invitations.InviteAsync(InvitationCsv.Read(new StringReader(csv), Rows), "csv");
            apply.Add(watch.Elapsed.TotalMilliseconds);
            process.Refresh();
            applyCpu.Add((process.TotalProcessorTime - cpu).TotalMilliseconds);
            var written = Directory.EnumerateFiles(mail, "*.eml").Count();
            Console.WriteLine($"  import run {run + 1}: preview {preview[^1]:N0} ms, apply {apply[^1]:N0} ms (CPU {applyCpu[^1]:N0} ms), {last.Invited:N0} invited, {written:N0} mails, load {InProcess.LoadAverage()}");
        }

        var outcomes = string.Join(", ", last!.Rows.GroupBy(r => r.Outcome).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count():N0}"));
        return
        [
            Figure("Preview a 10,000-row CSV (read, check every row, look up members and invitations)", preview, outcomes),
            Figure("Import a 10,000-row CSV (preview + save + one mail per invitation to the pickup folder)", apply,
                $"{last.Invited:N0} invitations and mails; process CPU per import: median {Median(applyCpu):N0} ms; target {TargetMs / 1000:N0} s: {(Median(apply) <= TargetMs ? "met" : "MISSED")} (load average during the runs: {InProcess.LoadAverage()})"),
        ];
    }

    private static Figure Figure(string name, List<double> times, string note)
    {
        var sorted = times.Order().ToList();
        return new Figure("import", name, Rows, "10k rows", Median(sorted), sorted[^1], sorted[0], sorted.Count, "ms", note);
    }

    private static double Median(List<double> times) => Harness.Percentile([.. times.Order()], 0.5);

    /// <summary>10 % existing members, 5 % invalid emails, 3 % unknown roles, 2 % duplicates, the rest new people; a tenth as ADMIN.</summary>
    private static string Csv(IReadOnlyList<string> members)
    {
        var csv = new StringBuilder("email,role,name\n");
        for (var i = 0; i < Rows; i++)
        {
            var line = (i % 100) switch
            {
                < 10 => $"{members[((i / 100 * 10) + (i % 100)) % members.Count]},MEMBER,",
                < 15 => $"broken-{i}.example,MEMBER,",
                < 18 => $"new{i}@import.example,SUPERVISOR,New {i}",

                // Rows 20 and 21 of each hundred come again after these: the later copies are the duplicates.
                < 20 => $"new{i + 2}@import.example,MEMBER,First",
                _ => $"new{i}@import.example,{(i % 10 == 0 ? "ADMIN" : "MEMBER")},New Person {i}",
            };
            csv.Append(line).Append('\n');
        }

        return csv.ToString();
    }

    private static async Task<(string OwnerId, List<string> Members)> SeedPeopleAsync(MultiOrgDbProvider provider)
    {
        await using var db = provider.Create(new TenantContext());
        var owner = Person("owner@import.example");
        var people = Enumerable.Range(0, ExistingMembers).Select(i => Person($"member{i}@import.example")).ToList();
        db.Users.Add(owner);
        db.Users.AddRange(people);
        await db.SaveChangesAsync();
        return (owner.Id, [.. people.Select(p => p.Email!)]);
    }

    private static AppUser Person(string email) => new()
    {
        UserName = email,
        Email = email,
        NormalizedEmail = email.ToUpperInvariant(),
        NormalizedUserName = email.ToUpperInvariant(),
        EmailConfirmed = true,
        SecurityStamp = Guid.NewGuid().ToString(),
    };

    private static async Task<Guid> NewOrganizationAsync(MultiOrgDbProvider provider, string ownerId, IReadOnlyList<string> members, int run)
    {
        await using var db = provider.Create(new TenantContext());
        var users = await db.Users.Where(u => u.Id == ownerId || u.Email!.StartsWith("member")).ToListAsync();
        var organization = new Organization { Name = $"Import {run + 1}" };
        foreach (var user in users)
        {
            organization.Members.Add(OrganizationMember.For(user, organization.Id, user.Id == ownerId ? OrganizationRole.Owner : OrganizationRole.Member));
        }

        db.Organizations.Add(organization);
        await db.SaveChangesAsync();

        // Business with seats to spare: 1,000 members and 8,000 invitations must fit, or most rows would report "no seat left".
        var id = organization.Id.ToString().ToUpperInvariant();
        var subscription = Guid.NewGuid().ToString().ToUpperInvariant();
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO Subscriptions (Id, OrganizationId, PlanCode, Seats, Status, PeriodStart, PeriodEnd, CreatedAt, UpdatedAt)
            VALUES ({subscription}, {id}, 'business', 20000, 'Active', '2026-11-01 00:00:00', '2026-12-01 00:00:00', '2026-11-01 00:00:00', '2026-11-01 00:00:00')
            """);
        Debug.Assert(organization.Members.Count == members.Count + 1, "every member joined");
        return organization.Id;
    }

    private static ServiceProvider Services(MultiOrgDbProvider provider, string mail)
    {
        var services = new ServiceCollection();
        services.AddSingleton(provider);
        services.AddScoped<TenantContext>();
        services.AddScoped<IMultiOrgDbFactory, MultiOrgDbFactory>();
        services.AddSingleton<ILookupNormalizer, UpperInvariantLookupNormalizer>();
        services.AddSingleton(TimeProvider.System);
        services.AddLogging();
        services.AddSingleton<MultiOrg.Domain.Events.IOrganizationEvents, MultiOrg.Web.Events.InProcessOrganizationEvents>();
        services.AddScoped<OrganizationService>();
        services.AddScoped<OrganizationDoor>();
        services.AddScoped<MultiOrg.Domain.Scim.ScimTokenService>();
        services.AddScoped<MultiOrg.Domain.FeatureSwitches.FeatureService>();
        services.AddScoped<MultiOrg.Domain.Billing.BillingService>();
        services.AddScoped<InvitationService>();
        services.AddSingleton(new MultiOrg.Domain.Billing.PlanCatalog(MultiOrg.Domain.Billing.BillingOptions.Defaults()));
        services.Configure<InvitationOptions>(_ => { });
        services.Configure<EmailOptions>(o => o.PickupDirectory = mail);
        services.Configure<MultiOrg.Web.Hosting.AppOptions>(o => o.PublicBaseUrl = "https://multiorg.bench/");
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { ContentRootPath = BenchPaths.Data });
        services.AddSingleton<ILogger<MailSender>>(NullLogger<MailSender>.Instance);
        services.AddSingleton<MailSender>();
        services.AddSingleton<AppLinks>();
        services.AddSingleton<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>(new Microsoft.AspNetCore.DataProtection.EphemeralDataProtectionProvider());
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<MailOutbox>(sp, Polly.ResiliencePipeline.Empty));
        services.AddScoped<IInvitationSender, InvitationMailer>();
        return services.BuildServiceProvider();
    }
}
