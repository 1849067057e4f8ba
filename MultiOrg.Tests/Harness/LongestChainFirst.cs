using Xunit.Abstractions;

[assembly: TestCollectionOrderer("MultiOrg.Tests.Harness.LongestChainFirst", "MultiOrg.Tests")]

namespace MultiOrg.Tests.Harness;

/// <summary>
/// Starts the collections whose tests must run one after another, and take longest together, before the rest. xunit
/// runs as many collections at once as there are cores (two on the CI machine) in the order this returns; the browser
/// journeys share one Chromium and one app, so they are one collection of about six minutes. Started in the default
/// order it came late, and for its last two and a half minutes it ran alone on one core while the other stood idle.
/// Started first, it runs beside everything else and the run ends when the two halves do.
/// </summary>
public sealed class LongestChainFirst : ITestCollectionOrderer
{
    /// <summary>The display names of the serial collections, longest first.</summary>
    private static readonly string[] Serial = ["Browser", "Two servers"];

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections)
    {
        var all = testCollections.ToList();
        var serial = Serial.SelectMany(name => all.Where(c => c.DisplayName == name));
        return [.. serial, .. all.Where(c => !Serial.Contains(c.DisplayName))];
    }
}
