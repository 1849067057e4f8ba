using System.Text.RegularExpressions;
using MultiOrg.Tests.Browser;

namespace MultiOrg.Tests.Conventions;

/// <summary>
/// The house's size limits (issue #24): no component injects more than six services, no source file is over 400 lines
/// (bench and generated migrations aside). A component over the limit takes a small page service, or drops a service
/// another one already gives it; a file over the limit splits by what it does.
/// </summary>
public sealed partial class SizeBudgetTests
{
    private const int MaxInjected = 6;
    private const int MaxLines = 400;

    /// <summary>Components still over the limit, each with the work that brings it down.</summary>
    private static readonly string[] InjectingMore =
    [
    ];

    /// <summary>Files still over the limit, each with the work that brings it down.</summary>
    private static readonly string[] Longer =
    [
    ];

    [Fact]
    public void No_component_injects_more_than_six_services()
    {
        var over = SourceFiles("MultiOrg.Web").Where(path => path.EndsWith(".razor", StringComparison.Ordinal))
            .Select(path => (Path: path, Count: Injected(path)))
            .Where(component => component.Count > MaxInjected)
            .Select(component => $"{Relative(component.Path)} ({component.Count})")
            .ToList();

        over.Select(Name).Should().BeEquivalentTo(InjectingMore.Select(Name),
            $"a component injects at most {MaxInjected} services (@inject and [Inject], its .razor.cs counted with it); found: {string.Join(", ", over)}. "
            + "Give it a small page service or drop one another service already gives it");
    }

    [Fact]
    public void No_source_file_is_over_four_hundred_lines()
    {
        var over = new[] { "MultiOrg.Domain", "MultiOrg.Data", "MultiOrg.Web", "MultiOrg.Tests" }
            .SelectMany(SourceFiles)
            .Select(path => (Path: path, Lines: File.ReadLines(path).Count()))
            .Where(file => file.Lines > MaxLines)
            .Select(file => $"{Relative(file.Path)} ({file.Lines})")
            .ToList();

        over.Select(Name).Should().BeEquivalentTo(Longer.Select(Name),
            $"a source file has at most {MaxLines} lines (bench and migrations aside); found: {string.Join(", ", over)}. Split it by what it does");
    }

    private static int Injected(string razorPath)
    {
        var count = InjectDirective().Matches(File.ReadAllText(razorPath)).Count + InjectAttribute().Matches(File.ReadAllText(razorPath)).Count;
        return File.Exists(razorPath + ".cs") ? count + InjectAttribute().Matches(File.ReadAllText(razorPath + ".cs")).Count : count;
    }

    /// <summary>The path without the note in brackets.</summary>
    private static string Name(string entry) => entry.Split(" (")[0];

    private static IEnumerable<string> SourceFiles(string project)
    {
        var separator = Path.DirectorySeparatorChar;
        return Directory.EnumerateFiles(Path.Combine(AppServer.RepositoryRoot(), project), "*.*", SearchOption.AllDirectories)
            .Where(path => path.EndsWith(".cs", StringComparison.Ordinal) || path.EndsWith(".razor", StringComparison.Ordinal)
                || path.EndsWith(".css", StringComparison.Ordinal) || path.EndsWith(".js", StringComparison.Ordinal))
            .Where(path => !path.Contains($"{separator}obj{separator}", StringComparison.Ordinal)
                && !path.Contains($"{separator}bin{separator}", StringComparison.Ordinal)
                && !path.Contains($"{separator}Migrations{separator}", StringComparison.Ordinal)
                && !path.Contains($"{separator}node_modules{separator}", StringComparison.Ordinal));
    }

    private static string Relative(string path) =>
        Path.GetRelativePath(AppServer.RepositoryRoot(), path).Replace(Path.DirectorySeparatorChar, '/');

    [GeneratedRegex(@"^\s*@inject\s", RegexOptions.Multiline)]
    private static partial Regex InjectDirective();

    [GeneratedRegex(@"\[Inject\b")]
    private static partial Regex InjectAttribute();
}
