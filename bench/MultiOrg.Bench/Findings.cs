using Microsoft.Data.Sqlite;

namespace MultiOrg.Bench;

/// <summary>
/// The members page misses its target at 100k: the SQL the service sends today against the SQL of the proposed
/// change (sort and search columns copied onto OrganizationMembers, two indexes, and a page that picks its 25 ids
/// from the index before it joins AspNetUsers), both hand-run on SQLite over the same world. The schema change is
/// made by hand in a copy of the world; nothing in the app's migrations changes.
/// </summary>
internal static class Findings
{
    public static string ResultsPath => Path.Combine(BenchPaths.Results, "findings.json");

    /// <summary>
    /// The schema change this finding proposed is now in the migrations (MemberSortKeys) and the generated world, so
    /// nothing is applied by hand any more; "before" replays the SQL the app sent before that change.
    /// </summary>
    public static readonly string[] ProposedSchema = [];

    private const string Columns = "o.UserId, COALESCE(a.Email, ''), COALESCE(a.DisplayName, a.Email, ''), o.Role, o.CreatedAt";

    private const string Access = "SELECT Id, CreatedAt, OrganizationId, Role, UpdatedAt, UserId FROM OrganizationMembers WHERE OrganizationId = $org AND UserId = $me LIMIT 2";

    private const string SearchWhereBefore = "(instr(a.NormalizedEmail, $term) > 0 OR (a.DisplayName IS NOT NULL AND instr(upper(a.DisplayName), $term) > 0))";

    private const string SearchWhereAfter = "(instr(o.SortEmail, $term) > 0 OR instr(o.SortName, $term) > 0)";

    /// <summary>(figure, statements today, statements after the change); each run executes the access check first.</summary>
    public static readonly (string Figure, string[] Before, string[] After)[] Queries =
    [
        (
            "First page (sorted by email)",
            [
                "SELECT COUNT(*) FROM OrganizationMembers o WHERE o.OrganizationId = $org",
                $"SELECT {Columns} FROM OrganizationMembers o JOIN AspNetUsers a ON o.UserId = a.Id WHERE o.OrganizationId = $org ORDER BY a.NormalizedEmail LIMIT 25 OFFSET 0",
            ],
            [
                "SELECT COUNT(*) FROM OrganizationMembers o WHERE o.OrganizationId = $org",
                $"SELECT {Columns} FROM OrganizationMembers o JOIN AspNetUsers a ON o.UserId = a.Id WHERE o.Id IN (SELECT p.Id FROM OrganizationMembers p WHERE p.OrganizationId = $org ORDER BY p.SortEmail LIMIT 25 OFFSET 0) ORDER BY o.SortEmail",
            ]),
        (
            "Deep page sorted by name",
            [
                "SELECT COUNT(*) FROM OrganizationMembers o WHERE o.OrganizationId = $org",
                $"SELECT {Columns} FROM OrganizationMembers o JOIN AspNetUsers a ON o.UserId = a.Id WHERE o.OrganizationId = $org ORDER BY COALESCE(a.DisplayName, a.Email), a.Email LIMIT 25 OFFSET $offset",
            ],
            [
                "SELECT COUNT(*) FROM OrganizationMembers o WHERE o.OrganizationId = $org",
                $"SELECT {Columns} FROM OrganizationMembers o JOIN AspNetUsers a ON o.UserId = a.Id WHERE o.Id IN (SELECT p.Id FROM OrganizationMembers p WHERE p.OrganizationId = $org ORDER BY p.SortName, p.SortEmail LIMIT 25 OFFSET $offset) ORDER BY o.SortName, o.SortEmail",
            ]),
        (
            "Search",
            [
                $"SELECT COUNT(*) FROM OrganizationMembers o JOIN AspNetUsers a ON o.UserId = a.Id WHERE o.OrganizationId = $org AND {SearchWhereBefore}",
                $"SELECT {Columns} FROM OrganizationMembers o JOIN AspNetUsers a ON o.UserId = a.Id WHERE o.OrganizationId = $org AND {SearchWhereBefore} ORDER BY a.NormalizedEmail LIMIT 25 OFFSET 0",
            ],
            [
                $"SELECT COUNT(*) FROM OrganizationMembers o WHERE o.OrganizationId = $org AND {SearchWhereAfter}",
                $"SELECT {Columns} FROM OrganizationMembers o JOIN AspNetUsers a ON o.UserId = a.Id WHERE o.Id IN (SELECT p.Id FROM OrganizationMembers p WHERE p.OrganizationId = $org AND {SearchWhereAfter.Replace("o.", "p.", StringComparison.Ordinal)} ORDER BY p.SortEmail LIMIT 25 OFFSET 0) ORDER BY o.SortEmail",
            ]),
    ];

    public static async Task<List<Figure>> RunAsync()
    {
        var path = World.WorkingCopy("findings");
        var figures = new List<Figure>();
        Console.WriteLine("Findings: today's members-page SQL, then the proposed schema and SQL");
        figures.AddRange(await MeasureAsync(path, before: true));
        InProcess.Apply(path, ProposedSchema);
        figures.AddRange(await MeasureAsync(path, before: false));
        return figures;
    }

    public static string Plans(string path, bool before)
    {
        using var connection = new SqliteConnection(World.ConnectionString(path));
        connection.Open();
        var text = new System.Text.StringBuilder();
        foreach (var (figure, beforeSql, afterSql) in Queries)
        {
            foreach (var sql in before ? beforeSql : afterSql)
            {
                var captured = new CapturedCommand(sql, Parameters(World.MemberSizes[^1]));
                text.AppendLine($"{figure}, {(before ? "today" : "proposed")}:").AppendLine("```sql").AppendLine(sql).AppendLine("```")
                    .AppendLine("```text").Append(QueryPlans.Explain(connection, captured)).AppendLine("```").AppendLine();
            }
        }

        return text.ToString();
    }

    private static List<(string Name, object? Value)> Parameters(int size) =>
    [
        ("$org", World.SizedOrganization(size).ToString().ToUpperInvariant()),
        ("$me", World.OwnerUserId),
        ("$offset", (int)(size * Scenarios.DeepFraction / Scenarios.PageSize) * Scenarios.PageSize - Scenarios.PageSize),
        ("$term", World.SearchTerm.ToUpperInvariant()),
    ];

    private static async Task<List<Figure>> MeasureAsync(string path, bool before)
    {
        var figures = new List<Figure>();
        var connectionString = World.ConnectionString(path);
        foreach (var size in World.MemberSizes)
        {
            var parameters = Parameters(size);
            foreach (var (figure, beforeSql, afterSql) in Queries)
            {
                var statements = (string[])[Access, .. before ? beforeSql : afterSql];
                async Task Run()
                {
                    // As EF does per service call: a pooled connection opened, the statements run, every row read.
                    await using var connection = new SqliteConnection(connectionString);
                    await connection.OpenAsync();
                    foreach (var sql in statements)
                    {
                        await using var command = connection.CreateCommand();
                        command.CommandText = sql;
                        foreach (var (name, value) in parameters.Where(p => sql.Contains(p.Name, StringComparison.Ordinal)))
                        {
                            command.Parameters.AddWithValue(name, value);
                        }

                        await using var reader = await command.ExecuteReaderAsync();
                        while (await reader.ReadAsync())
                        {
                        }
                    }
                }

                figures.Add(await Harness.MeasureAsync(before ? "sql-today" : "sql-after", figure, size, Scenarios.Label(size), Run));
            }
        }

        return figures;
    }
}
