using Edge.Formats.Npy;
using Edge.Formats.Safetensors;
using Edge.Streams;

namespace Edge.TestSupport;

/// <summary>
/// A package's committed golden run (golden/input.npy, output.npy, final_state.safetensors, made by
/// its PyTorch reference) replayed through a stream: serially, and in chunks through state files.
/// </summary>
public static class GoldenRun
{
    /// <summary>
    /// Max abs difference of the outputs, and max difference of the final state relative to max(1, |expected|)
    /// (running sums such as a softmax denominator grow with the steps, so their float32 rounding does too).
    /// </summary>
    public static (double Output, double State) Replay(string package, int[]? chunkCuts = null, string goldenFolder = "golden")
    {
        using var model = EdgeModel.Load(package);
        var input = NpyFile.Read(Path.Combine(package, goldenFolder, "input.npy"));
        var expected = NpyFile.Read(Path.Combine(package, goldenFolder, "output.npy"));
        int steps = input.Rows, width = model.OutputSize;
        var output = new float[steps * width];
        using var tmp = new TempFolder();
        string stateFile = tmp.File("state.safetensors");
        int[] cuts = chunkCuts ?? [0, steps];
        float[] finalState = [];
        for (int i = 0; i + 1 < cuts.Length; i++)
        {
            using var stream = model.CreateStream();
            if (i > 0) stream.LoadState(stateFile);
            for (int t = cuts[i]; t < cuts[i + 1]; t++) stream.Step(input.Row(t), output.AsSpan(t * width, width));
            stream.SaveState(stateFile);
            finalState = stream.Snapshot().ToFloat32();
        }
        return (MaxAbs(output, expected.Data), MaxRel(finalState, ReadState(model, Path.Combine(package, goldenFolder, "final_state.safetensors"))));
    }

    /// <summary>Reads a golden final state (tensors named as the state layout) into the flat layout order.</summary>
    public static float[] ReadState(EdgeModel model, string path)
    {
        using var f = SafetensorsFile.Open(path);
        var flat = new float[model.State.Entries.Sum(e => e.Length)];
        int at = 0;
        foreach (var e in model.State.Entries)
        {
            Assert.True(f.TryGet(e.Name, out var t), $"{path} lacks state tensor {e.Name}");
            Assert.Equal(e.Length, t.ElementCount);
            f.ReadFloat32(t, flat.AsSpan(at, e.Length));
            at += e.Length;
        }
        return flat;
    }

    public static double MaxRel(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        Assert.Equal(actual.Length, expected.Length);
        double m = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            if (float.IsNegativeInfinity(actual[i]) && float.IsNegativeInfinity(expected[i])) continue;
            m = Math.Max(m, Math.Abs((double)actual[i] - expected[i]) / Math.Max(1.0, Math.Abs(expected[i])));
        }
        return m;
    }

    public static double MaxAbs(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        double m = 0;
        for (int i = 0; i < a.Length; i++)
        {
            if (float.IsNegativeInfinity(a[i]) && float.IsNegativeInfinity(b[i])) continue;
            m = Math.Max(m, Math.Abs((double)a[i] - b[i]));
        }
        return m;
    }
}
