using Edge.Formats.Safetensors;
using Edge.Streams;

namespace Edge.Runtime.Tests.Streams;

/// <summary>State files of format version 1 (every entry float32) still load into the typed layout of version 2.</summary>
public sealed class StateFileVersionTests
{
    [Fact]
    public void A_version_1_file_of_an_aaren_stream_loads_with_its_sums_widened_to_f64()
    {
        using var model = EdgeModel.Load(Path.Combine(AarenGoldenPackages.RepositoryRoot, "tests", "fixtures", "aaren", "h1"));
        using var stream = model.CreateStream();
        var y = new float[model.OutputSize];
        var x = new float[model.InputSize];
        for (int t = 0; t < 7; t++)
        {
            x[0] = 0.1f * t;
            stream.Step(x, y);
        }
        var snapshot = stream.Snapshot();
        // What version 1 wrote: each entry as float32, a checksum over those floats in layout order.
        var floats = snapshot.ToFloat32();
        int at = 0;
        var entries = new List<SafetensorsWriter.Entry>();
        foreach (var e in model.State.Entries)
        {
            entries.Add(new(e.Name, e.Shape, floats.AsMemory(at, e.Length)));
            at += e.Length;
        }
        var meta = new Dictionary<string, string>
        {
            ["format"] = "edge-state", ["format_version"] = "1", ["family"] = "aaren", ["model_sha256"] = model.Sha256, ["steps"] = "7",
            ["checksum"] = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(floats.AsSpan()))),
        };
        using var tmp = new TempFolder();
        SafetensorsWriter.Write(tmp.File("v1.state"), entries, meta);

        using var resumed = model.CreateStream();
        resumed.LoadState(tmp.File("v1.state"));
        Assert.Equal(7, resumed.StepCount);
        var m = resumed.Snapshot().Doubles("m");
        for (int i = 0; i < m.Length; i++) Assert.Equal((double)(float)snapshot.Doubles("m")[i], m[i]);

        // Saved again, it is version 2 with the f64 entries stored as F64.
        resumed.SaveState(tmp.File("v2.state"));
        using var f = SafetensorsFile.Open(tmp.File("v2.state"));
        Assert.Equal("2", f.Metadata["format_version"]);
        Assert.True(f.TryGet("c", out var c));
        Assert.Equal(TensorDType.F64, c.DType);
    }
}
