using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Edge.Formats.Npy;
using Edge.Streams;

namespace Edge.Runtime.Tests.Cae;

/// <summary>The cae family against its independent double-precision reference (TestSupport/CaeReference.cs) and its guarantees.</summary>
public class CaeStreamTests
{
    public static IEnumerable<object[]> Configs() =>
    [
        // seed, F, W, hop, channels, kernels, strides, z, error_clip, channel_weights
        [1, 3, 16, 1, new[] { 4 }, new[] { 3 }, new[] { 2 }, 2, null!, false],
        [2, 5, 64, 1, new[] { 16, 32 }, new[] { 5, 5 }, new[] { 4, 4 }, 4, 25f, true],
        [3, 2, 24, 3, new[] { 6, 8, 5 }, new[] { 3, 5, 1 }, new[] { 2, 3, 1 }, 3, 0.5f, false],
        [4, 1, 8, 2, new[] { 3 }, new[] { 1 }, new[] { 4 }, 1, null!, true],        // stride larger than the kernel: taps skip positions
        [5, 4, 30, 5, new[] { 7, 9 }, new[] { 7, 3 }, new[] { 1, 5 }, 6, 2f, true],
        [6, 6, 1, 1, new[] { 2 }, new[] { 3 }, new[] { 1 }, 2, null!, false],       // a window of one sample
    ];

    [Theory]
    [MemberData(nameof(Configs))]
    public void Scores_flags_and_ring_match_the_double_precision_reference_to_1e5(int seed, int f, int w, int hop, int[] channels, int[] kernels, int[] strides, int z, float? clip, bool weighted)
    {
        var spec = CaeSpec.Random(seed, f, w, hop, channels, kernels, strides, z, clip, weighted);
        using var pkg = spec.Write();
        using var model = EdgeModel.Load(pkg.Folder);
        using var stream = model.CreateStream();
        var reference = new CaeReference(spec);
        var rng = new Random(seed + 100);
        var y = new float[2];
        double worst = 0, largest = 0;
        int scored = 0;
        int steps = 3 * w + 60;
        for (int t = 0; t < steps; t++)
        {
            var x = Rand.Uniform(rng, f, 4f);
            if (t % 17 == 5) x[rng.Next(f)] = 60f;   // a glitch, so error_clip matters
            stream.Step(x, y);
            var expected = reference.Step(x);
            worst = Math.Max(worst, Math.Abs(y[0] - expected[0]) / Math.Max(1, Math.Abs(expected[0])));
            largest = Math.Max(largest, expected[0]);
            if (Math.Abs(expected[0] - spec.Threshold) > 1e-4) Assert.Equal(expected[1], y[1]);
            if (expected[0] != 0) scored++;
        }
        Assert.True(worst < 1e-5, $"max score error {worst:E2} (largest score {largest:G4})");
        Assert.True(scored >= (steps - w) / hop, $"only {scored} non-zero scores in {steps} steps");

        var state = stream.Snapshot().ToFloat32();
        for (int r = 0; r < w; r++)
            for (int k = 0; k < f; k++) Assert.Equal(reference.Ring[r][k], state[r * f + k], 5e-6);
        Assert.Equal([reference.Fill, reference.Next, reference.Phase], state.AsSpan(w * f, 3).ToArray());
        Assert.Equal(reference.Score, state[w * f + 3], 1e-5);
    }

    [Fact]
    public void The_first_score_comes_at_the_Wth_sample_and_then_every_hop_samples_with_the_last_held_between()
    {
        var spec = CaeSpec.Random(9, 2, 12, 4, [3], [3], [3], 2, null, false);
        using var pkg = spec.Write();
        using var model = EdgeModel.Load(pkg.Folder);
        using var stream = model.CreateStream();
        var rng = new Random(1);
        var y = new float[2];
        var scores = new List<float>();
        for (int t = 0; t < 30; t++)
        {
            stream.Step(Rand.Uniform(rng, 2, 3f), y);
            scores.Add(y[0]);
        }
        Assert.All(scores.Take(11), s => Assert.Equal(0f, s));
        Assert.True(scores[11] > 0);
        // samples 12..15 hold the score of sample 12 (index 11); sample 16 scores anew.
        for (int t = 12; t < 15; t++) Assert.Equal(scores[11], scores[t]);
        Assert.NotEqual(scores[11], scores[15]);
        for (int t = 16; t < 19; t++) Assert.Equal(scores[15], scores[t]);
        Assert.NotEqual(scores[15], scores[19]);
    }

    [Fact]
    public void State_layout_is_the_documented_one_and_starts_at_zero()
    {
        var spec = CaeSpec.Random(3, 5, 64, 1, [16, 32], [5, 5], [4, 4], 4, 25f, true);
        using var pkg = spec.Write();
        using var model = EdgeModel.Load(pkg.Folder);
        Assert.Equal(["ring", "ring_fill", "ring_next", "phase", "score"], model.State.Entries.Select(e => e.Name));
        Assert.Equal([64, 5], model.State["ring"].Shape);
        Assert.Equal(64 * 5 + 4, model.State.Bytes / 4);
        Assert.Equal(2, model.OutputSize);
        using var s = model.CreateStream();
        Assert.All(s.Snapshot().ToFloat32(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void A_step_allocates_nothing_and_the_state_never_grows()
    {
        foreach (int hop in new[] { 1, 3 })
        {
            var spec = CaeSpec.Random(21, 5, 64, hop, [16, 32], [5, 5], [4, 4], 4, 25f, true);
            using var pkg = spec.Write();
            using var model = EdgeModel.Load(pkg.Folder);
            StepAllocation.AssertNone(model);
        }
    }

    [Fact]
    public void Golden_run_of_laser_detector_is_reproduced_serially_and_in_chunks_bit_identically()
    {
        string dir = Path.Combine(RepoPaths.Root, "models", "laser-detector");
        var serial = GoldenRun.Replay(dir);
        Assert.True(serial.Output <= 1e-5, $"outputs differ by {serial.Output:E2}");
        Assert.True(serial.State <= 1e-5, $"final state differs (relative) by {serial.State:E2}");
        int steps = NpyFile.Read(Path.Combine(dir, "golden", "input.npy")).Rows;
        var chunked = GoldenRun.Replay(dir, [0, 1, 63, 64, steps / 3, steps / 3 + 7, steps]);
        Assert.Equal(serial, chunked);

        // The flags themselves: the reference flags from the README's first flag at sample 657 (row 348) on.
        using var model = EdgeModel.Load(dir);
        using var stream = model.CreateStream();
        var input = NpyFile.Read(Path.Combine(dir, "golden", "input.npy"));
        var expected = NpyFile.Read(Path.Combine(dir, "golden", "output.npy"));
        var y = new float[2];
        int firstFlag = -1, flagsDiffer = 0;
        for (int t = 0; t < steps; t++)
        {
            stream.Step(input.Row(t), y);
            if (y[1] == 1 && firstFlag < 0) firstFlag = t;
            if (y[1] != expected.Data[t * 2 + 1]) flagsDiffer++;
        }
        Assert.Equal(0, flagsDiffer);
        Assert.Equal(657 - 309, firstFlag);
    }

    [Fact]
    public void Golden_run_through_the_double_precision_reference_matches_the_committed_outputs()
    {
        // The reference itself is checked against the PyTorch golden run, so the random-package tests compare with the right math.
        string dir = Path.Combine(RepoPaths.Root, "models", "laser-detector");
        var spec = CaeSpec.FromPackage(dir);
        var reference = new CaeReference(spec);
        var input = NpyFile.Read(Path.Combine(dir, "golden", "input.npy"));
        var expected = NpyFile.Read(Path.Combine(dir, "golden", "output.npy"));
        double worst = 0;
        for (int t = 0; t < input.Rows; t++) worst = Math.Max(worst, Math.Abs(reference.Step(input.Row(t))[0] - expected.Data[t * 2]));
        Assert.True(worst < 1e-5, $"reference differs from the golden scores by {worst:E2}");
    }

    public static IEnumerable<object[]> Corruptions() =>
    [
        ["ring_fill", 65f], ["ring_fill", -1f], ["ring_fill", 10.5f], ["ring_fill", float.NaN],
        ["ring_next", 64f], ["ring_next", -2f], ["ring_next", 0.25f],
        ["phase", 3f], ["phase", 1.5f], ["score", float.NaN], ["score", -0.5f], ["score", float.PositiveInfinity],
    ];

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void A_corrupt_state_value_is_refused_and_the_stream_is_unchanged(string entry, float value)
    {
        var spec = CaeSpec.Random(5, 5, 64, 3, [16, 32], [5, 5], [4, 4], 4, 25f, true);
        using var pkg = spec.Write();
        using var model = EdgeModel.Load(pkg.Folder);
        using var stream = model.CreateStream();
        var rng = new Random(2);
        var y = new float[2];
        for (int t = 0; t < 100; t++) stream.Step(Rand.Uniform(rng, 5, 2f), y);
        var before = stream.Snapshot();
        var bad = stream.Snapshot();
        MemoryMarshal.Cast<byte, float>(bad.Bytes.AsSpan())[model.State[entry].Offset] = value;
        var e = Assert.Throws<EdgeException>(() => stream.Restore(bad));
        Assert.Equal(EdgeErrorCode.InvalidState, e.Code);
        Assert.Contains(entry, e.Message);
        Assert.Equal(before.Bytes, stream.Snapshot().Bytes);
        var after = new float[2];
        using var twin = model.CreateStream();
        twin.Restore(before);
        var x = Rand.Uniform(rng, 5, 2f);
        stream.Step(x, y);
        twin.Step(x, after);
        Assert.Equal(after, y);
    }

    [Fact]
    public void A_filling_ring_whose_next_row_disagrees_with_its_fill_is_refused()
    {
        var spec = CaeSpec.Random(5, 2, 16, 1, [4], [3], [2], 2, null, false);
        using var pkg = spec.Write();
        using var model = EdgeModel.Load(pkg.Folder);
        using var stream = model.CreateStream();
        var y = new float[2];
        for (int t = 0; t < 5; t++) stream.Step([t, -t], y);
        var bad = stream.Snapshot();
        MemoryMarshal.Cast<byte, float>(bad.Bytes.AsSpan())[model.State["ring_next"].Offset] = 9;
        var e = Assert.Throws<EdgeException>(() => stream.Restore(bad));
        Assert.Equal(EdgeErrorCode.InvalidState, e.Code);
    }

    public static IEnumerable<object[]> BadConfigs() =>
    [
        ["kernels", new JsonArray(4), "odd"],
        ["strides", new JsonArray(3), "does not divide"],
        ["channels", new JsonArray(), "1 to 64"],
        ["kernels", new JsonArray(3, 3), "one per encoder layer"],
        ["error_clip", JsonValue.Create(0.0), "greater than 0"],
        ["channel_weights", new JsonArray(0, 0), "at least one"],
        ["channel_weights", new JsonArray(1, -1), "0 or more"],
        ["input_std", new JsonArray(1, 0), "non-zero"],
        ["hop", JsonValue.Create(0), "hop"],
        ["stride", JsonValue.Create(2), "unknown key 'stride'"],
    ];

    [Theory]
    [MemberData(nameof(BadConfigs))]
    public void An_invalid_config_is_refused_naming_the_key(string key, JsonNode value, string says)
    {
        var spec = CaeSpec.Random(5, 2, 16, 1, [4], [3], [2], 2, null, false);
        var config = spec.Config();
        config[key] = value.DeepClone();
        using var pkg = new TestPackage("cae", config, spec.Entries());
        var e = Assert.Throws<EdgeException>(() => EdgeModel.Load(pkg.Folder));
        Assert.Equal(EdgeErrorCode.InvalidConfig, e.Code);
        Assert.Contains(says, e.Message);
    }

    [Fact]
    public void A_weight_of_the_wrong_shape_is_refused()
    {
        var spec = CaeSpec.Random(5, 2, 16, 1, [4], [3], [2], 2, null, false);
        spec.Shapes["decoder.0.weight"] = [2, 4, 3];   // [out, in, k] instead of ConvTranspose1d's [in, out, k]
        using var pkg = spec.Write();
        var e = Assert.Throws<EdgeException>(() => EdgeModel.Load(pkg.Folder));
        Assert.Contains("decoder.0.weight", e.Message);
    }
}
