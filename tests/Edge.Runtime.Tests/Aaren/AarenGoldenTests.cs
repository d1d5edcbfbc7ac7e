using Edge.Formats.Npy;
using Edge.Formats.Safetensors;
using Edge.Streams;
using Xunit.Abstractions;

namespace Edge.Runtime.Tests.Aaren;

/// <summary>
/// Every aaren package with a golden run (made by the Python reference's parallel form in float64)
/// is reproduced to 1e-5 max abs error in the model's output units before denormalization (1e-5 · output_std
/// in the data's units: the electricity model's outputs are megawatts with output_std 776, where float32
/// itself resolves only 1.5e-5 at 150 MW), serially and in chunks with state files between them.
/// </summary>
public sealed class AarenGoldenTests(ITestOutputHelper log)
{
    private const double Tolerance = 1e-5;

    public static TheoryData<string> Packages()
    {
        var data = new TheoryData<string>();
        foreach (var p in AarenGoldenPackages.All()) data.Add(p);
        if (data.Count == 0) data.Add("");   // none found: Fixtures_are_found fails
        return data;
    }

    [Fact]
    public void Fixtures_are_found()
    {
        var found = AarenGoldenPackages.All();
        foreach (var name in new[] { "h1", "h4-l2-silu", "h8-relu", "large-scores" })
            Assert.Contains($"tests/fixtures/aaren/{name}", found);
    }

    [Theory]
    [MemberData(nameof(Packages))]
    [Trait("Category", "Golden")]
    public void Serial_run_reproduces_the_golden_outputs_and_final_state(string package)
    {
        if (package.Length == 0) return;
        var (model, input, expected) = Load(package);
        using (model)
        {
            using var stream = model.CreateStream();
            var outputs = Run(stream, input, 0, input.Rows, model.OutputSize);
            AssertClose(expected.Data, outputs, OutputStd(model), package);
            AssertFinalState(stream, Path.Combine(AarenGoldenPackages.RepositoryRoot, package, "golden", "final_state.safetensors"), package);
        }
    }

    [Theory]
    [MemberData(nameof(Packages))]
    [Trait("Category", "Golden")]
    public void Chunked_run_with_state_files_reproduces_the_golden_outputs(string package)
    {
        if (package.Length == 0) return;
        var (model, input, expected) = Load(package);
        using (model)
        using (var dir = new TempFolder())
        {
            int t = input.Rows;
            int[] cuts = [0, 1, t / 3, t / 3 + 7, 2 * t / 3, t];
            var outputs = new float[expected.Data.Length];
            string? state = null;
            for (int k = 0; k + 1 < cuts.Length; k++)
            {
                using var stream = model.CreateStream();
                if (state is not null) stream.LoadState(state);
                Run(stream, input, cuts[k], cuts[k + 1], model.OutputSize).CopyTo(outputs, cuts[k] * model.OutputSize);
                state = dir.File($"state-{k}.safetensors");
                stream.SaveState(state);
            }
            AssertClose(expected.Data, outputs, OutputStd(model), package + " (chunked)");
        }
    }

    private static (EdgeModel Model, NpyArray Input, NpyArray Expected) Load(string package)
    {
        string folder = Path.Combine(AarenGoldenPackages.RepositoryRoot, package);
        var model = EdgeModel.Load(folder);
        var input = NpyFile.Read(Path.Combine(folder, "golden", "input.npy"));
        var expected = NpyFile.Read(Path.Combine(folder, "golden", "output.npy"));
        Assert.Equal(model.InputSize, input.Columns);
        Assert.Equal([input.Rows, model.OutputSize], expected.Shape);
        return (model, input, expected);
    }

    private static float[] Run(ModelStream stream, NpyArray input, int from, int to, int outputSize)
    {
        var outputs = new float[(to - from) * outputSize];
        for (int t = from; t < to; t++) stream.Step(input.Row(t), outputs.AsSpan((t - from) * outputSize, outputSize));
        return outputs;
    }

    internal static float[] OutputStd(EdgeModel model) => ((Edge.Families.Aaren.AarenModel)model.StepModel).Config.OutputStd;

    private void AssertClose(float[] expected, float[] actual, float[] outputStd, string what)
    {
        double max = 0;
        int at = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double e = Math.Abs(expected[i] - actual[i]) / Math.Max(1, outputStd[i % outputStd.Length]);
            if (!(e <= max)) (max, at) = (e, i);
        }
        log.WriteLine($"{what}: max |edge − golden| / max(1, output_std) = {max:E3}");
        Assert.True(max <= Tolerance, $"{what}: max |edge − golden| / max(1, output_std) = {max:E3} at value {at} (golden {expected[at]}, edge {actual[at]})");
    }

    // m to 1e-5 relative; the attention average a/c to 1e-5; c itself is relative to m, so a float32 score
    // error δ (|m|·6e-8: 5e-4 at |m| = 8600) scales it by exp(δ): 1e-2 relative, as tests/fixtures/aaren/README.md
    // advises for large-scores (measured there: 1.1e-3).
    private static void AssertFinalState(ModelStream stream, string path, string what)
    {
        var layout = stream.Model.State;
        var actual = stream.Snapshot().ToFloat32();
        using var file = SafetensorsFile.Open(path);
        float[] Golden(string name) => file.TryGet(name, out var info) ? file.ReadFloat32(info) : throw new InvalidOperationException($"{path}: no '{name}'");
        var (m, c, a) = (Golden("m"), Golden("c"), Golden("a"));
        int heads = layout["m"].Shape[1], d = layout["a"].Shape[1];
        for (int i = 0; i < m.Length; i++)
        {
            float am = actual[layout["m"].Offset + i], ac = actual[layout["c"].Offset + i];
            Assert.True(Math.Abs(am - m[i]) <= 1e-5 * Math.Max(1, Math.Abs(m[i])), $"{what}: m[{i}] edge {am} golden {m[i]}");
            Assert.True(Math.Abs(ac - c[i]) <= 1e-2 * Math.Max(1, Math.Abs(c[i])), $"{what}: c[{i}] edge {ac} golden {c[i]}");
            int l = i / heads, dh = d / heads, j = i % heads;
            for (int e = j * dh; e < (j + 1) * dh; e++)
            {
                double g = a[l * d + e] / (double)c[i], x = actual[layout["a"].Offset + l * d + e] / (double)ac;
                Assert.True(Math.Abs(g - x) <= Tolerance * Math.Max(1, Math.Abs(g)), $"{what}: a/c at layer {l} channel {e}: edge {x} golden {g}");
            }
        }
    }
}
