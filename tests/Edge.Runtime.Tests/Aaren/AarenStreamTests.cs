using Edge.Streams;

namespace Edge.Runtime.Tests.Aaren;

/// <summary>What a user of an aaren stream relies on: no allocation, a fixed state, no NaN, no drift, state files.</summary>
public sealed class AarenStreamTests
{
    [Fact]
    public void Step_allocates_nothing_over_10k_steps()
    {
        var spec = AarenSpec.Random(7, heads: 4, layers: 2, activation: "gelu_tanh");
        using var dir = new TempFolder();
        using var model = EdgeModel.Load(spec.WritePackage(dir.Path));
        using var stream = model.CreateStream();
        var inputs = spec.RandomInputs(10_000, 8);
        var output = new float[spec.OutputDim];
        for (int t = 0; t < 2000; t++) stream.Step(inputs.AsSpan(t * spec.InputDim, spec.InputDim), output);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 0; t < 10_000; t++) stream.Step(inputs.AsSpan(t * spec.InputDim, spec.InputDim), output);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void State_is_m_c_a_and_its_size_does_not_grow_with_steps()
    {
        var spec = AarenSpec.Random(9, heads: 3, layers: 2);
        using var dir = new TempFolder();
        using var model = EdgeModel.Load(spec.WritePackage(dir.Path));
        var entries = model.State.Entries.Select(e => (e.Name, string.Join("x", e.Shape))).ToArray();
        Assert.Equal([("m", $"2x3"), ("c", "2x3"), ("a", $"2x{spec.DModel}")], entries);
        Assert.Equal(8L * 2 * (3 + 3 + spec.DModel), model.State.Bytes);   // f64: the running sums are kept exactly

        using var stream = model.CreateStream();
        var inputs = spec.RandomInputs(5000, 10);
        var output = new float[spec.OutputDim];
        stream.Step(inputs.AsSpan(0, spec.InputDim), output);
        stream.SaveState(dir.File("after1.safetensors"));
        for (int t = 1; t < 5000; t++) stream.Step(inputs.AsSpan(t * spec.InputDim, spec.InputDim), output);
        stream.SaveState(dir.File("after5000.safetensors"));
        Assert.Equal(new FileInfo(dir.File("after1.safetensors")).Length, new FileInfo(dir.File("after5000.safetensors")).Length);
    }

    [Fact]
    public void Fresh_state_is_minus_infinity_zero_zero_and_the_first_step_stores_its_value_with_weight_one()
    {
        var spec = AarenSpec.Random(11, heads: 2, layers: 1);
        using var dir = new TempFolder();
        using var model = EdgeModel.Load(spec.WritePackage(dir.Path));
        using var stream = model.CreateStream();
        var s0 = stream.Snapshot().ToFloat32();
        Assert.All(s0.AsSpan(0, 2).ToArray(), m => Assert.Equal(float.NegativeInfinity, m));
        Assert.All(s0.AsSpan(2).ToArray(), v => Assert.Equal(0f, v));

        var inputs = spec.RandomInputs(1, 12);
        var output = new float[spec.OutputDim];
        stream.Step(inputs, output);
        var s1 = stream.Snapshot().ToFloat32();
        var (expected, m, _, a) = ParallelAarenOracle.Run(spec, inputs, 1);
        Assert.Equal(m[0], s1[0], 3e-4);
        Assert.Equal(1f, s1[2]);     // c: the only step weighs exp(s − s) = 1
        Assert.Equal(1f, s1[3]);
        for (int i = 0; i < spec.DModel; i++) Assert.Equal(a[i], s1[4 + i], 1e-5);
        for (int i = 0; i < spec.OutputDim; i++) Assert.Equal(expected[i], output[i], 1e-5);
    }

    [Fact]
    public void Scores_near_minus_1e30_give_the_plain_average_and_no_NaN()
    {
        var spec = AarenSpec.Random(13, heads: 2, layers: 1);
        // b_k along q so that every score is about −1e30: in float32 and in double all scores are equal.
        var bk = spec["layers.0.attn.k_proj.bias"];
        var q = QueryOf(spec, 0);
        for (int j = 0; j < spec.Heads; j++)
        {
            double qq = 0;
            for (int e = j * spec.HeadDim; e < (j + 1) * spec.HeadDim; e++) qq += q[e] * q[e];
            for (int e = j * spec.HeadDim; e < (j + 1) * spec.HeadDim; e++)
                bk[e] = (float)(-1e30 * Math.Sqrt(spec.HeadDim) * q[e] / qq);
        }
        using var dir = new TempFolder();
        using var model = EdgeModel.Load(spec.WritePackage(dir.Path));
        using var stream = model.CreateStream();
        const int steps = 300;
        var inputs = spec.RandomInputs(steps, 14);
        var (expected, m, _, _) = ParallelAarenOracle.Run(spec, inputs, steps);
        Assert.True(m.Max() < -1e29, $"scores should be near −1e30, max was {m.Max()}");
        var output = new float[spec.OutputDim];
        for (int t = 0; t < steps; t++)
        {
            stream.Step(inputs.AsSpan(t * spec.InputDim, spec.InputDim), output);
            for (int i = 0; i < spec.OutputDim; i++)
            {
                Assert.False(float.IsNaN(output[i]), $"NaN at step {t}");
                Assert.Equal(expected[t * spec.OutputDim + i], output[i], 1e-4);
            }
        }
    }

    [Fact]
    public void Periodic_input_gives_the_same_output_after_90k_steps_as_after_one_period()
    {
        // One layer: its keys and values depend on the input alone, so after k whole periods each distinct
        // (score, value) pair has weight k·exp(s − m) and the softmax average, hence the output, equals the one
        // after the first period. A float32 running sum would drift by per cents here.
        var spec = AarenSpec.Random(15, heads: 4, layers: 1);
        using var dir = new TempFolder();
        using var model = EdgeModel.Load(spec.WritePackage(dir.Path));
        using var stream = model.CreateStream();
        const int period = 3, periods = 30_000;
        var inputs = spec.RandomInputs(period, 16);
        var first = new float[spec.OutputDim];
        var output = new float[spec.OutputDim];
        for (int k = 0; k < periods; k++)
        {
            for (int p = 0; p < period; p++) stream.Step(inputs.AsSpan(p * spec.InputDim, spec.InputDim), output);
            if (k == 0) output.CopyTo(first, 0);
        }
        for (int i = 0; i < spec.OutputDim; i++) Assert.Equal(first[i], output[i], 1e-5);
    }

    [Fact]
    public void Chunks_with_state_files_between_them_equal_the_serial_run()
    {
        var spec = AarenSpec.Random(17, heads: 4, layers: 2);
        using var dir = new TempFolder();
        using var model = EdgeModel.Load(spec.WritePackage(dir.Path));
        const int steps = 1500;
        var inputs = spec.RandomInputs(steps, 18);
        var serial = Run(model, inputs, spec, 0, steps, null, null);
        var chunked = new List<float>();
        string? state = null;
        foreach (var (from, to) in new[] { (0, 1), (1, 400), (400, 1023), (1023, steps) })
        {
            string next = dir.File($"state-{to}.safetensors");
            chunked.AddRange(Run(model, inputs, spec, from, to, state, next));
            state = next;
        }
        Assert.Equal(serial.Length, chunked.Count);
        for (int i = 0; i < serial.Length; i++) Assert.Equal(serial[i], chunked[i], 1e-5);
    }

    [Fact]
    public void A_corrupt_state_is_refused()
    {
        var spec = AarenSpec.Random(19, heads: 2, layers: 1);
        using var dir = new TempFolder();
        using var model = EdgeModel.Load(spec.WritePackage(dir.Path));
        using var stream = model.CreateStream();
        var snapshot = stream.Snapshot();
        snapshot.Doubles("m")[0] = 3;   // m finite while c = 0: a/c would be NaN
        var e = Assert.Throws<EdgeException>(() => stream.Restore(snapshot));
        Assert.Equal(EdgeErrorCode.InvalidState, e.Code);
        Assert.Contains("layer 0 head 0", e.Message);
    }

    private static float[] Run(EdgeModel model, float[] inputs, AarenSpec spec, int from, int to, string? stateIn, string? stateOut)
    {
        using var stream = model.CreateStream();
        if (stateIn is not null) stream.LoadState(stateIn);
        var outputs = new float[(to - from) * spec.OutputDim];
        for (int t = from; t < to; t++)
            stream.Step(inputs.AsSpan(t * spec.InputDim, spec.InputDim), outputs.AsSpan((t - from) * spec.OutputDim, spec.OutputDim));
        if (stateOut is not null) stream.SaveState(stateOut);
        return outputs;
    }

    private static double[] QueryOf(AarenSpec s, int layer)
    {
        string p = $"layers.{layer}.";
        var w = s[p + "attn.q_proj.weight"];
        var b = s[p + "attn.q_proj.bias"];
        var query = s[p + "query"];
        var q = new double[s.DModel];
        for (int r = 0; r < s.DModel; r++)
        {
            q[r] = b[r];
            for (int i = 0; i < s.DModel; i++) q[r] += (double)w[r * s.DModel + i] * query[i];
        }
        return q;
    }
}
