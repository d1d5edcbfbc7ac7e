namespace Edge.Benchmarks;

/// <summary>Finds the repository's models from wherever BenchmarkDotNet runs the benchmark process.</summary>
internal static class BenchPaths
{
    public static string Model(string name) => Path.Combine(Root(), "models", name);

    /// <summary>A folder under tests/fixtures.</summary>
    public static string Fixture(params string[] parts) => Path.Combine([Root(), "tests", "fixtures", .. parts]);

    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Edge.sln"))) dir = dir.Parent;
        if (dir is null) throw new InvalidOperationException("Run the benchmarks from inside the repository.");
        return dir.FullName;
    }
}
