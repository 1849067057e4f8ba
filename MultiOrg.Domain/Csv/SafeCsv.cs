using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace MultiOrg.Domain.Csv;

/// <summary>
/// Every CSV the application hands out: invariant culture, and a cell a spreadsheet would run as a formula
/// (starting with =, +, -, @, tab or CR) is escaped, because exported names and emails are typed by other people.
/// </summary>
public static class SafeCsv
{
    public static async Task<string> WriteAsync<T>(IAsyncEnumerable<T> rows, ClassMap<T>? map = null, CancellationToken ct = default)
    {
        await using var writer = new StringWriter(CultureInfo.InvariantCulture);
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture) { InjectionOptions = InjectionOptions.Escape };
        await using var csv = new CsvWriter(writer, configuration);
        if (map is not null)
        {
            csv.Context.RegisterClassMap(map);
        }

        await csv.WriteRecordsAsync(rows, ct);
        await csv.FlushAsync();
        return writer.ToString();
    }
}
