using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MultiOrg.Bench;

/// <summary>One measured figure at one size. Times are milliseconds; memory figures use <see cref="Unit"/>.</summary>
internal sealed record Figure(
    string Group,
    string Name,
    long Size,
    string SizeLabel,
    double Median,
    double P95,
    double Min,
    int Runs,
    string Unit = "ms",
    string? Note = null);

internal sealed record FigureSet(string Title, DateTime MeasuredAt, List<Figure> Figures)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,

        // A figure that could not be measured (an event that never came) is NaN, written as "NaN".
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    public static FigureSet? Load(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize<FigureSet>(File.ReadAllText(path), Json) : null;
}

/// <summary>
/// The in-process timer: warm-up runs (JIT, EF's query cache, SQLite's page cache), then as many measured runs as fit
/// in a time budget (at least <see cref="MinRuns"/>, at most <see cref="MaxRuns"/>); reports median, p95 and min.
/// </summary>
internal static class Harness
{
    public const int MinRuns = 10;
    public const int MaxRuns = 200;
    public const int WarmupRuns = 3;

    /// <summary>Warm-up goes on to this many runs or <see cref="WarmupTime"/>, so tiered JIT reaches optimized code first.</summary>
    public const int WarmupMaxRuns = 400;

    public static readonly TimeSpan WarmupTime = TimeSpan.FromSeconds(1.5);

    public static TimeSpan Budget { get; set; } = TimeSpan.FromSeconds(4);

    public static async Task<Figure> MeasureAsync(string group, string name, long size, string sizeLabel, Func<Task> action, string? note = null)
    {
        await WarmUpAsync(action);
        var samples = new List<double>();
        var total = Stopwatch.StartNew();
        while (samples.Count < MaxRuns && (samples.Count < MinRuns || total.Elapsed < Budget))
        {
            var clock = Stopwatch.StartNew();
            await action();
            samples.Add(clock.Elapsed.TotalMilliseconds);
        }

        var figure = Summarize(group, name, size, sizeLabel, samples, note);
        Console.WriteLine($"  {group,-10} {name,-42} {sizeLabel,8}: median {figure.Median,9:F2} ms  p95 {figure.P95,9:F2} ms  ({figure.Runs} runs)");
        return figure;
    }

    /// <summary>Two actions measured alternately (A, B, A, B...) so drift hits both alike; returns both figures.</summary>
    public static async Task<(Figure A, Figure B)> MeasurePairAsync(
        string group, string nameA, string nameB, long size, string sizeLabel, Func<Task> a, Func<Task> b)
    {
        await WarmUpAsync(async () =>
        {
            await a();
            await b();
        });

        var samplesA = new List<double>();
        var samplesB = new List<double>();
        var total = Stopwatch.StartNew();
        while (samplesA.Count < MaxRuns && (samplesA.Count < MinRuns * 3 || total.Elapsed < Budget))
        {
            var clock = Stopwatch.StartNew();
            await a();
            samplesA.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            await b();
            samplesB.Add(clock.Elapsed.TotalMilliseconds);
        }

        var figureA = Summarize(group, nameA, size, sizeLabel, samplesA, null);
        var figureB = Summarize(group, nameB, size, sizeLabel, samplesB, null);
        Console.WriteLine($"  {group,-10} {nameA,-42} {sizeLabel,8}: median {figureA.Median,9:F3} ms  p95 {figureA.P95,9:F3} ms");
        Console.WriteLine($"  {group,-10} {nameB,-42} {sizeLabel,8}: median {figureB.Median,9:F3} ms  p95 {figureB.P95,9:F3} ms  ratio {figureA.Median / figureB.Median:F3}");
        return (figureA, figureB);
    }

    private static async Task WarmUpAsync(Func<Task> action)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < WarmupMaxRuns && (i < WarmupRuns || clock.Elapsed < WarmupTime); i++)
        {
            await action();
        }
    }

    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = p * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }

    private static Figure Summarize(string group, string name, long size, string sizeLabel, List<double> samples, string? note)
    {
        samples.Sort();
        return new Figure(group, name, size, sizeLabel, Percentile(samples, 0.5), Percentile(samples, 0.95), samples[0], samples.Count, Note: note);
    }
}
