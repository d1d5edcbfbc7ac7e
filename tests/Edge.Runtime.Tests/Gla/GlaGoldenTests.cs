using Edge.Formats.Npy;
using Edge.Formats.Safetensors;
using Edge.Streams;
using Xunit.Abstractions;

namespace Edge.Runtime.Tests.Gla;

/// <summary>The CPU backend against the PyTorch reference's golden runs (models/lina-reference, tests/fixtures/gla).</summary>
public class GlaGoldenTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Goldens() =>
    [
        // package, golden folder, voice (or null), logits tolerance
        [RepoPaths.Models("lina-reference"), "golden", null!, 1e-4],
        [RepoPaths.Models("lina-reference"), "golden-voice", "voices/demo.safetensors", 1e-4],
        [RepoPaths.Fixtures("gla", "h1-noconv-sin"), "golden", null!, 1e-4],
        [RepoPaths.Fixtures("gla", "h1-noconv-sin"), "golden-voice", "voices/demo.safetensors", 1e-4],
        [RepoPaths.Fixtures("gla", "h4-conv"), "golden", null!, 1e-4],
        [RepoPaths.Fixtures("gla", "h4-conv"), "golden-voice", "voices/demo.safetensors", 1e-4],
        [RepoPaths.Fixtures("gla", "h2-odd-rotary"), "golden", null!, 1e-4],
        // the trained default voice model: logits up to 28, float32 steps within 1.1e-5 of float64 in PyTorch
        [RepoPaths.Models("tts-default"), "golden-voice", "voices/default.safetensors", 2e-4],
    ];

    internal static string Text(string package, string golden) => File.ReadAllText(Path.Combine(package, golden, "text.txt")).TrimEnd('\n');

    [Theory]
    [MemberData(nameof(Goldens))]
    [Trait("Category", "Golden")]
    public void Teacher_forced_run_reproduces_golden_logits_and_final_state(string package, string golden, string? voice, double tolerance)
    {
        using var model = EdgeModel.Load(package);
        using var stream = model.CreateStream();
        if (voice is not null) stream.GetFeature<IVoiceConditioning>()!.LoadVoice(Path.Combine(package, voice));
        if (File.Exists(Path.Combine(package, golden, "initial_state.safetensors")))
            AssertState(Path.Combine(package, golden, "initial_state.safetensors"), stream.Snapshot().ToFloat32(), model.State, 1e-6, "initial");
        stream.GetFeature<ITextConditioning>()!.SetText(Text(package, golden));

        var input = NpyFile.Read(Path.Combine(package, golden, "input.npy"));
        var expected = NpyFile.Read(Path.Combine(package, golden, "output.npy"));
        var logits = new float[model.OutputSize];
        double worst = 0;
        for (int t = 0; t < input.Rows; t++)
        {
            stream.Step(input.Row(t), logits);
            var row = expected.Row(t);
            for (int i = 0; i < logits.Length; i++) worst = Math.Max(worst, Math.Abs(logits[i] - row[i]));
        }
        output.WriteLine($"{Path.GetFileName(package)}/{golden}: max abs logit error {worst:E2} over {input.Rows} steps");
        // Without SIMD (DOTNET_EnableHWIntrinsic=0) dot products sum one element at a time and round more:
        // lina-reference (logits up to 8.8) then lands at 1.04e-4, so that path gets twice the tolerance.
        if (!System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated) tolerance *= 2;
        Assert.True(worst <= tolerance, $"max abs logit error {worst:E2} > {tolerance:E0}");
        AssertState(Path.Combine(package, golden, "final_state.safetensors"), stream.Snapshot().ToFloat32(), model.State, 1e-4, "final");
    }

    internal static void AssertState(string file, float[] actual, StateLayout layout, double relative, string what)
    {
        using var st = SafetensorsFile.Open(file);
        Assert.Equal(layout.Entries.Select(e => e.Name), st.Tensors.Select(t => t.Name));
        foreach (var e in layout.Entries)
        {
            Assert.True(st.TryGet(e.Name, out var info));
            Assert.Equal(e.Shape, info.Shape);
            var want = st.ReadFloat32(info);
            double scale = Math.Max(1e-3, want.Max(v => Math.Abs((double)v)));
            for (int i = 0; i < want.Length; i++)
                Assert.True(Math.Abs(actual[e.Offset + i] - want[i]) <= relative * scale,
                    $"{what} state {e.Name}[{i}]: {actual[e.Offset + i]} vs {want[i]} (scale {scale:G3})");
        }
    }
}
