using System.Text.Json;

namespace Edge.Onnx.Tests;

/// <summary>Paths in the repository the tests run from: committed models and fixtures.</summary>
internal static class Repo
{
    public static readonly string Root = FindRoot();

    public static string Models => Path.Combine(Root, "models");

    public static string Fixtures => Path.Combine(Root, "tests", "Edge.Onnx.Tests", "fixtures");

    public static string LstmStateful => Path.Combine(Models, "lstm-stateful");

    /// <summary>
    /// Every committed package of a family Edge implements that carries a step graph (model.json names
    /// "onnx"): the models under models/ and the fixtures here. onnx-stateful packages are tested apart.
    /// </summary>
    public static IEnumerable<string> StepGraphPackages()
    {
        foreach (var dir in Directory.GetDirectories(Models).Concat(Directory.GetDirectories(Fixtures)).Order(StringComparer.Ordinal))
        {
            string json = Path.Combine(dir, "model.json");
            if (!File.Exists(json)) continue;
            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            var root = doc.RootElement;
            if (root.TryGetProperty("onnx", out _) && root.GetProperty("family").GetString() != "onnx-stateful")
                yield return Path.GetRelativePath(Root, dir);
        }
    }

    public static string Full(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Edge.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("the tests must run inside the repository (no Edge.sln above " + AppContext.BaseDirectory + ")");
    }
}
