
namespace Edge.TestSupport;

/// <summary>The aaren packages with golden runs in the repository: tests/fixtures/aaren/* and models/aaren-*.</summary>
public static class AarenGoldenPackages
{
    public static string RepositoryRoot => RepoPaths.Root;

    public static IReadOnlyList<string> All()
    {
        var found = new List<string>();
        string fixtures = Path.Combine(RepositoryRoot, "tests", "fixtures", "aaren");
        if (Directory.Exists(fixtures)) found.AddRange(Directory.GetDirectories(fixtures));
        string models = Path.Combine(RepositoryRoot, "models");
        if (Directory.Exists(models)) found.AddRange(Directory.GetDirectories(models, "aaren-*"));
        return found
            .Where(f => File.Exists(Path.Combine(f, "model.json")) && File.Exists(Path.Combine(f, "golden", "output.npy")))
            .Select(f => Path.GetRelativePath(RepositoryRoot, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
