using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Formats.Safetensors;

namespace Edge.TestSupport;

/// <summary>
/// Writes model packages the way any outside tool following docs/package-format.md would: a model.json and a float32
/// safetensors file, into a fresh temporary folder that is deleted with the object.
/// </summary>
public sealed class TestPackage : IDisposable
{
    public TestPackage(string family, JsonObject config, IReadOnlyList<SafetensorsWriter.Entry> tensors, Action<JsonObject>? editModelJson = null)
    {
        Folder = Path.Combine(Path.GetTempPath(), "edge-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        SafetensorsWriter.Write(Path.Combine(Folder, "weights.safetensors"), tensors, null);
        var doc = new JsonObject
        {
            ["format"] = "edge-model",
            ["version"] = 1,
            ["family"] = family,
            ["config"] = config,
            ["weights"] = "weights.safetensors",
            ["provenance"] = new JsonObject { ["data"] = "random weights written by a test" },
        };
        editModelJson?.Invoke(doc);
        System.IO.File.WriteAllText(Path.Combine(Folder, "model.json"), doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    public string Folder { get; }

    public string File(string name) => Path.Combine(Folder, name);

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}

/// <summary>A temporary folder for files a test writes.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "edge-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
