using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using MultiOrg.Domain.Errors;

namespace MultiOrg.Domain.Invitations;

/// <summary>Reads an import file: a header row with "email" and optionally "role" and "name" (any case, any order).</summary>
public static class InvitationCsv
{
    public static IReadOnlyList<InviteRow> Read(TextReader reader, int maxRows)
    {
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            PrepareHeaderForMatch = args => args.Header.Trim().ToLowerInvariant(),
            DetectDelimiter = true,
            TrimOptions = TrimOptions.Trim,
            IgnoreBlankLines = true,
            MissingFieldFound = null,
            HeaderValidated = null,
            BadDataFound = null,
        };
        using var csv = new CsvReader(reader, configuration);
        if (!csv.Read() || !csv.ReadHeader())
        {
            throw DomainException.Invalid("file", "The file is empty: it needs a header row with an “email” column.");
        }

        var header = csv.HeaderRecord ?? [];
        if (!header.Any(h => h.Trim().Equals("email", StringComparison.OrdinalIgnoreCase)))
        {
            throw DomainException.Invalid("file", "The file needs an “email” column in its header row (optional: “role”, “name”).");
        }

        var hasRole = header.Any(h => h.Trim().Equals("role", StringComparison.OrdinalIgnoreCase));
        var hasName = header.Any(h => h.Trim().Equals("name", StringComparison.OrdinalIgnoreCase));
        var rows = new List<InviteRow>();
        while (csv.Read())
        {
            if (rows.Count == maxRows)
            {
                throw DomainException.Invalid("file", $"The file has more than {maxRows:N0} rows; split it into smaller files.");
            }

            rows.Add(new InviteRow(
                csv.Parser.RawRow,
                csv.GetField("email"),
                hasRole ? csv.GetField("role") : null,
                hasName ? csv.GetField("name") : null));
        }

        return rows;
    }
}
