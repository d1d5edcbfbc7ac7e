namespace Edge.TestSupport;

/// <summary>Finds the repository's committed models and fixtures from the test's output folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Models(string name) => Path.Combine(Root, "models", name);

    public static string Fixtures(params string[] parts) => Path.Combine([Root, "tests", "fixtures", .. parts]);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "Edge.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Edge.sln not found above the test folder.");
    }
}
