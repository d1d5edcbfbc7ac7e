using System.Text.Json.Nodes;

namespace Edge.Onnx.Tests;

/// <summary>A copy of a committed package in a temporary folder, with model.json edited by the test; deleted on dispose.</summary>
internal sealed class TempPackage : IDisposable
{
    public TempPackage(string source, Action<JsonObject>? edit = null)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "edge-onnx-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        foreach (var f in Directory.GetFiles(source)) File.Copy(f, System.IO.Path.Combine(Path, System.IO.Path.GetFileName(f)));
        if (edit is null) return;
        string json = System.IO.Path.Combine(Path, "model.json");
        var doc = JsonNode.Parse(File.ReadAllText(json))!.AsObject();
        edit(doc);
        File.WriteAllText(json, doc.ToJsonString());
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
