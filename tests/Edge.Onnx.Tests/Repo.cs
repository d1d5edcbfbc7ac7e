using System.Text.Json;

namespace Edge.Onnx.Tests;

/// <summary>The committed packages the ONNX tests run: models/, tests/fixtures/ and the lstm-stateful test model.</summary>
internal static class Repo
{
    public static string Root => RepoPaths.Root;

    public static string LstmStateful => RepoPaths.Models("lstm-stateful");

    /// <summary>A random-weight gru-attention fixture with step.onnx: 3 inputs, 2 outputs, W = 0.</summary>
    public static string GruW0 => Path.Combine("tests", "fixtures", "gru-attention", "lbr-false-w0");

    /// <summary>A random-weight gru-attention fixture with step.onnx and the attention ring: W = 3.</summary>
    public static string GruW3 => Path.Combine("tests", "fixtures", "gru-attention", "lbr-true-w3");

    /// <summary>
    /// Every committed package of a family Edge implements that carries a step graph (model.json names
    /// "onnx"), under models/ and tests/fixtures/*/, relative to the root. onnx-stateful packages are tested apart.
    /// </summary>
    public static IEnumerable<string> StepGraphPackages()
    {
        var fixtures = Directory.GetDirectories(Path.Combine(Root, "tests", "fixtures")).SelectMany(Directory.GetDirectories);
        foreach (var dir in Directory.GetDirectories(Path.Combine(Root, "models")).Concat(fixtures).Order(StringComparer.Ordinal))
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
}
