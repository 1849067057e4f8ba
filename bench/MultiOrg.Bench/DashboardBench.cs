using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MultiOrg.Domain.Organizations;

namespace MultiOrg.Bench;

/// <summary>
/// Issue 11's figure: the organization dashboard (every widget, as the page loads it) of one organization with 100,000
/// members in 5,000 teams under 40 departments, 150,000 team places, 60,000 audit entries, open invitations and join
/// requests, on SQLite through the real <see cref="OrganizationDashboardService"/>. Built in its own database (not the
/// shared world), so it needs no world regeneration when the schema grows.
/// </summary>
internal static class DashboardBench
{
    public const int Members = 100_000;
    public const int Teams = 5_000;
    public const int Departments = 40;
    public const int AuditEntries = 60_000;
    public const double TargetMs = 200;

    public static string ResultsPath => Path.Combine(BenchPaths.Results, "dashboard.json");

    private static readonly Guid Organization = Guid.Parse("0b0e5a11-d000-4000-8000-000000000011");
    private static readonly DateTime Now = DateTime.UtcNow;

    public static async Task<List<Figure>> RunAsync()
    {
        var path = Path.Combine(BenchPaths.Data, "dashboard.db");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var places = Generate(path);
        Console.WriteLine($"  generated in {clock.Elapsed.TotalSeconds:F1} s: {Members:N0} members, {Teams:N0} teams, {places:N0} team places, {AuditEntries:N0} audit entries");

        await using var services = Circuit.Services(path);
        await using var owner = new Circuit(services, UserId(0));
        await owner.Door.EnterAsync(Organization);
        var dashboard = owner.Provider.GetRequiredService<OrganizationDashboardService>();
        var size = Members.ToString("N0", CultureInfo.InvariantCulture);
        var loaded = await dashboard.GetAsync();
        Console.WriteLine($"  check: {loaded.MemberCount:N0} members, {loaded.TeamCount:N0} teams, top team {loaded.TopTeams[0].Label} ({loaded.TopTeams[0].Count}), " +
            $"{loaded.ActiveLast7Days:N0} active in 7 days, {loaded.PendingInvitations:N0} invitations, {loaded.Activity!.Sum(d => d.Count):N0} audit entries in 30 days");
        return
        [
            await Harness.MeasureAsync("dashboard", "Organization dashboard, every widget", Members, size,
                () => dashboard.GetAsync(), $"{Teams:N0} teams; target < {TargetMs:N0} ms"),
            await Harness.MeasureAsync("dashboard", "Members-by-team CSV (every team)", Members, size,
                () => dashboard.ExportCsvAsync(DashboardSection.MembersByTeam), $"{Teams:N0} rows"),
        ];
    }

    private static string UserId(int index) => $"dash-user-{index:D6}";

    private static Guid TeamId(int index) => new(index, 0x7ea, 0x4000, [0x80, 0, 0, 0, 0, 0, 0, 0x11]);

    private static Guid DepartmentId(int index) => new(index, 0xde9, 0x4000, [0x80, 0, 0, 0, 0, 0, 0, 0x11]);

    /// <summary>Builds the database from the app's migrations, then fills it with set-based inserts. Returns the team places.</summary>
    private static int Generate(string path)
    {
        foreach (var stale in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(stale);
        }

        var connectionString = $"Data Source={path};Pooling=False";
        using (var db = World.MigrationContext(connectionString))
        {
            db.Database.Migrate();
        }

        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        World.Execute(connection, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-200000;");
        var random = new Random(11);
        var places = 0;
        using (var transaction = connection.BeginTransaction())
        {
            using (var organization = World.Prepare(connection, transaction, "INSERT INTO Organizations (Id, Name, CreatedAt, UpdatedAt) VALUES ($id, $name, $at, $at)", "$id", "$name", "$at"))
            {
                World.Run(organization, World.Text(Organization), "Dashboard Bench Corp", World.Text(Now.AddYears(-2)));
            }

            using (var user = World.Prepare(connection, transaction,
                """
                INSERT INTO AspNetUsers (Id, DisplayName, GlobalRole, CreatedAt, UserName, NormalizedUserName, Email, NormalizedEmail,
                    EmailConfirmed, SecurityStamp, ConcurrencyStamp, PhoneNumberConfirmed, TwoFactorEnabled, LockoutEnabled, AccessFailedCount)
                VALUES ($id, $name, 'User', $at, $email, $upper, $email, $upper, 1, $id, $id, 0, 0, 1, 0)
                """, "$id", "$name", "$at", "$email", "$upper"))
            using (var member = World.Prepare(connection, transaction,
                "INSERT INTO OrganizationMembers (Id, UserId, OrganizationId, Role, SortEmail, SortName, LastActiveAt, CreatedAt, UpdatedAt) VALUES ($id, $user, $org, $role, $email, $name, $active, $at, $at)",
                "$id", "$user", "$org", "$role", "$email", "$name", "$active", "$at"))
            {
                for (var i = 0; i < Members; i++)
                {
                    var email = $"person{i:D6}@dashboard.bench";
                    var name = $"Person {i:D6}";
                    var at = World.Text(Now.AddDays(-random.Next(1, 700)));
                    World.Run(user, UserId(i), name, at, email, email.ToUpperInvariant());
                    var role = i < 2 ? "OWNER" : i < 60 ? "ADMIN" : "MEMBER";

                    // About a third were seen in the last 30 days, a tenth in the last week, some never.
                    var active = random.Next(10) switch
                    {
                        0 => (object)World.Text(Now.AddHours(-random.Next(1, 7 * 24))),
                        1 or 2 => World.Text(Now.AddDays(-random.Next(8, 30))),
                        9 => null,
                        _ => World.Text(Now.AddDays(-random.Next(31, 365))),
                    };
                    World.Run(member, World.Text(Guid.CreateVersion7()), UserId(i), World.Text(Organization), role, email.ToUpperInvariant(), name.ToUpperInvariant(), active, at);
                }
            }

            using (var department = World.Prepare(connection, transaction,
                "INSERT INTO Departments (Id, OrganizationId, Name, ParentDepartmentId, CreatedAt, UpdatedAt) VALUES ($id, $org, $name, $parent, $at, $at)",
                "$id", "$org", "$name", "$parent", "$at"))
            {
                for (var d = 0; d < Departments; d++)
                {
                    World.Run(department, World.Text(DepartmentId(d)), World.Text(Organization), $"Department {d:D2}",
                        d < 8 ? null : World.Text(DepartmentId(d % 8)), World.Text(Now.AddYears(-1)));
                }
            }

            using (var team = World.Prepare(connection, transaction,
                "INSERT INTO Teams (Id, OrganizationId, Name, DepartmentId, CreatedAt, UpdatedAt) VALUES ($id, $org, $name, $department, $at, $at)",
                "$id", "$org", "$name", "$department", "$at"))
            {
                for (var t = 0; t < Teams; t++)
                {
                    World.Run(team, World.Text(TeamId(t)), World.Text(Organization), $"Team {t:D4}",
                        t % 10 == 0 ? null : World.Text(DepartmentId(t % Departments)), World.Text(Now.AddYears(-1)));
                }
            }

            // Everyone but one in ten is in a team, half of them in a second one too; team sizes vary.
            using (var place = World.Prepare(connection, transaction,
                "INSERT INTO TeamMembers (Id, OrganizationId, TeamId, UserId, IsLeader, CreatedAt, UpdatedAt) VALUES ($id, $org, $team, $user, $leader, $at, $at)",
                "$id", "$org", "$team", "$user", "$leader", "$at"))
            {
                for (var i = 0; i < Members; i++)
                {
                    if (i % 10 == 9)
                    {
                        continue;
                    }

                    var first = (int)(Math.Pow(random.NextDouble(), 2) * Teams);
                    World.Run(place, World.Text(Guid.CreateVersion7()), World.Text(Organization), World.Text(TeamId(first)), UserId(i), i % 40 == 0 ? 1 : 0, World.Text(Now.AddDays(-30)));
                    places++;
                    if (i % 2 == 0)
                    {
                        var second = (first + 1 + random.Next(Teams - 1)) % Teams;
                        World.Run(place, World.Text(Guid.CreateVersion7()), World.Text(Organization), World.Text(TeamId(second)), UserId(i), 0, World.Text(Now.AddDays(-20)));
                        places++;
                    }
                }
            }

            using (var audit = World.Prepare(connection, transaction,
                """
                INSERT INTO AuditEntries (Id, OrganizationId, Sequence, OccurredAt, ActorUserId, Door, Action, TargetType, TargetId, Changes, PreviousHash, Hash)
                VALUES ($id, $org, $sequence, $at, $actor, 'Page', 'TeamMember.created', 'TeamMember', $target, '{}', $hash, $hash)
                """, "$id", "$org", "$sequence", "$at", "$actor", "$target", "$hash"))
            {
                var hash = new byte[32];
                var start = Now.AddDays(-60);
                for (var a = 0; a < AuditEntries; a++)
                {
                    var at = start.AddSeconds(60.0 * 60 * 24 * 60 * a / AuditEntries);
                    World.Run(audit, World.Text(Guid.CreateVersion7()), World.Text(Organization), a + 1, World.Text(at), UserId(random.Next(60)), a.ToString(CultureInfo.InvariantCulture), hash);
                }
            }

            using (var invitation = World.Prepare(connection, transaction,
                """
                INSERT INTO Invitations (Id, OrganizationId, Email, NormalizedEmail, Role, TokenHash, ExpiresAt, Status, InvitedByUserId, SentAt, SendCount, CreatedAt, UpdatedAt)
                VALUES ($id, $org, $email, $upper, 'MEMBER', $hash, $expires, 'Pending', $by, $at, 1, $at, $at)
                """, "$id", "$org", "$email", "$upper", "$hash", "$expires", "$by", "$at"))
            {
                for (var v = 0; v < 500; v++)
                {
                    var email = $"invitee{v:D4}@dashboard.bench";
                    World.Run(invitation, World.Text(Guid.CreateVersion7()), World.Text(Organization), email, email.ToUpperInvariant(),
                        System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(v)), World.Text(Now.AddDays(3)), UserId(0), World.Text(Now.AddDays(-4)));
                }
            }

            transaction.Commit();
        }

        // As the app leaves its database: WAL, and no ANALYZE.
        World.Execute(connection, "PRAGMA journal_mode=WAL;");
        World.Execute(connection, "VACUUM;");
        return places;
    }
}
