namespace MultiOrg.Bench;

/// <summary>Where the benchmark keeps its generated databases (bench/.data, gitignored) and its results.</summary>
internal static class BenchPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Bench => Path.Combine(RepositoryRoot, "bench");

    public static string Data => Directory.CreateDirectory(Path.Combine(Bench, ".data")).FullName;

    public static string Results => Directory.CreateDirectory(Path.Combine(Bench, "results")).FullName;

    private static string FindRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            var directory = new DirectoryInfo(start);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MultiOrg.sln")))
            {
                directory = directory.Parent;
            }

            if (directory is not null)
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("MultiOrg.sln not found above the current directory.");
    }
}
