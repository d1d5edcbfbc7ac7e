using Edge.Streams;

namespace Edge.Runtime.Tests.Streams;

public class StreamBatchTests
{
    // Deterministic per (stream, step): the batch and the lone streams see the same inputs.
    private static Func<int, int, float[]> Inputs(int size, float scale = 4f) =>
        (k, t) => Rand.Uniform(new Random(1000 * k + t), size, scale);

    public static IEnumerable<object[]> GruConfigs() => GruAttention.GruAttentionTests.Configs();

    [Theory]
    [MemberData(nameof(GruConfigs))]
    public void Gru_attention_streams_stepped_together_match_each_stream_alone_bit_for_bit(int seed, int f, int h, int l, int a, int o, int w, bool lbr)
    {
        var spec = GruAttentionSpec.Random(seed, f, h, l, a, o, w, lbr);
        using var pkg = spec.Write();
        using var model = EdgeModel.Load(pkg.Folder);
        int shared = BatchParity.AssertSameAsAlone(model, streams: 6, steps: 120, Inputs(f));
        Assert.True(shared > 100, $"{shared} batch steps held more than one stream");
    }

    [Theory]
    [InlineData(1, null)]
    [InlineData(2, null)]
    [InlineData(3, "int8")]
    [InlineData(4, "q4")]
    [InlineData(5, "fp16")]
    public void Aaren_streams_stepped_together_match_each_stream_alone_bit_for_bit(int seed, string? precision)
    {
        var spec = AarenSpec.Random(seed + 300, layers: 2);
        using var tmp = new TempFolder();
        string folder = spec.WritePackage(tmp.File("pkg"));
        using var model = EdgeModel.Load(folder, new EdgeModelOptions { Precision = precision is null ? null : Precision(precision) });
        int shared = BatchParity.AssertSameAsAlone(model, streams: 5, steps: 100, Inputs(spec.InputDim));
        Assert.True(shared > 80);
    }

    [Fact]
    public void The_committed_aaren_forecaster_batches_bit_for_bit_and_allocates_nothing()
    {
        using var model = EdgeModel.Load(RepoPaths.Models("aaren-co2"));
        Assert.True(new StreamBatch(model, 1).IsBatched);
        BatchParity.AssertSameAsAlone(model, streams: 9, steps: 80, Inputs(model.InputSize, 1f));
        BatchParity.AssertNoAllocation(model, 9);
    }

    [Theory]
    [InlineData("fp16")]
    [InlineData("int8")]
    [InlineData("q4")]
    public void The_committed_ecg_model_batches_bit_for_bit_at_every_precision(string precision)
    {
        using var model = EdgeModel.Load(RepoPaths.Models("gru-attention-ecg"),
            new EdgeModelOptions { Precision = Precision(precision) });
        Assert.True(new StreamBatch(model, 1).IsBatched);
        BatchParity.AssertSameAsAlone(model, streams: 70, steps: 150, Inputs(1, 1f));
    }

    private static Edge.Packages.WeightPrecision Precision(string name)
    {
        Assert.True(Edge.Packages.WeightPrecisions.TryParse(name, out var p));
        return p;
    }

    [Fact]
    public void A_batch_limit_splits_a_larger_batch_into_batched_steps_of_that_many_with_the_same_bits()
    {
        using var model = EdgeModel.Load(RepoPaths.Models("gru-attention-ecg"), new EdgeModelOptions { BatchLimit = 16 });
        Assert.Equal(16, model.BatchLimit);
        using (var batch = new StreamBatch(model, 70)) Assert.Equal(16, batch.StepWidth);
        using (var small = new StreamBatch(model, 5)) Assert.Equal(5, small.StepWidth);
        // 70 streams: four batched steps of 16 and one of 6, each stream's output and state those of it stepped alone.
        BatchParity.AssertSameAsAlone(model, streams: 70, steps: 60, Inputs(1, 1f));
        BatchParity.AssertNoAllocation(model, 70);
        var bad = Assert.Throws<EdgeException>(() => EdgeModel.Load(RepoPaths.Models("gru-attention-ecg"), new EdgeModelOptions { BatchLimit = 0 }));
        Assert.Equal(EdgeErrorCode.InvalidArgument, bad.Code);
        Assert.Contains("BatchLimit is 0", bad.Message);
    }

    [Fact]
    public void A_batch_step_of_64_ecg_streams_allocates_nothing_and_no_state_grows()
    {
        using var model = EdgeModel.Load(RepoPaths.Models("gru-attention-ecg"));
        BatchParity.AssertNoAllocation(model, 64);
    }

    [Fact]
    public void A_row_holding_nan_is_refused_by_step_and_skipped_by_try_step_and_its_stream_keeps_its_state()
    {
        using var model = EdgeModel.Load(RepoPaths.Models("gru-attention-ecg"));
        using var batch = new StreamBatch(model, 3);
        var streams = Enumerable.Range(0, 3).Select(_ => model.CreateStream()).ToArray();
        foreach (var s in streams) batch.Add(s);
        var outputs = new float[3];
        batch.Step([0.1f, 0.2f, 0.3f], outputs);
        var before = streams[1].Snapshot().Bytes;

        var e = Assert.Throws<EdgeException>(() => batch.Step([0.1f, float.NaN, 0.3f], outputs));
        Assert.Equal(EdgeErrorCode.InvalidInput, e.Code);
        Assert.Contains("row 1", e.Message, StringComparison.Ordinal);
        Assert.All(streams, s => Assert.Equal(1, s.StepCount));   // nobody stepped

        outputs[1] = 42f;
        var stepped = new bool[3];
        Assert.Equal(2, batch.TryStep([0.1f, float.PositiveInfinity, 0.3f], outputs, stepped));
        Assert.Equal([true, false, true], stepped);
        Assert.Equal(42f, outputs[1]);
        Assert.Equal(before, streams[1].Snapshot().Bytes);
        Assert.Equal([2L, 1L, 2L], streams.Select(s => s.StepCount));
        Assert.Equal(1, streams[1].RejectedInputs);

        // The two that stepped got what they get alone.
        using var alone = model.CreateStream();
        var y = new float[1];
        alone.Step([0.3f], y);
        alone.Step([0.3f], y);
        Assert.Equal(y[0], outputs[2]);
    }

    [Fact]
    public void Members_keep_snapshot_fork_and_state_files_of_their_own()
    {
        using var model = EdgeModel.Load(RepoPaths.Models("gru-attention-ecg"));
        using var tmp = new TempFolder();
        using var batch = new StreamBatch(model, 2);
        using var a = model.CreateStream();
        using var b = model.CreateStream();
        batch.Add(a);
        batch.Add(b);
        var outputs = new float[2];
        for (int t = 0; t < 50; t++) batch.Step([MathF.Sin(t * 0.1f), MathF.Cos(t * 0.1f)], outputs);
        string path = Path.Combine(tmp.Path, "b.state");
        b.SaveState(path);
        using var fork = a.Fork();
        for (int t = 50; t < 80; t++) batch.Step([MathF.Sin(t * 0.1f), MathF.Cos(t * 0.1f)], outputs);

        var y = new float[1];
        for (int t = 50; t < 80; t++) fork.Step([MathF.Sin(t * 0.1f)], y);
        Assert.Equal(outputs[0], y[0]);
        using var loaded = model.CreateStream();
        loaded.LoadState(path);
        for (int t = 50; t < 80; t++) loaded.Step([MathF.Cos(t * 0.1f)], y);
        Assert.Equal(outputs[1], y[0]);
        Assert.Equal(80, b.StepCount);
    }

    [Fact]
    public void Wrong_members_and_lengths_are_one_clear_error_each()
    {
        using var model = EdgeModel.Load(RepoPaths.Models("gru-attention-ecg"));
        using var other = EdgeModel.Load(RepoPaths.Models("gru-attention-ecg"));
        using var batch = new StreamBatch(model, 2);
        using var a = model.CreateStream();
        using var b = model.CreateStream();
        using var c = model.CreateStream();
        using var foreign = other.CreateStream();
        batch.Add(a);
        Assert.Contains("another model", Assert.Throws<EdgeException>(() => batch.Add(foreign)).Message, StringComparison.Ordinal);
        Assert.Contains("already", Assert.Throws<EdgeException>(() => batch.Add(a)).Message, StringComparison.Ordinal);
        batch.Add(b);
        Assert.Contains("full (2 streams)", Assert.Throws<EdgeException>(() => batch.Add(c)).Message, StringComparison.Ordinal);
        Assert.Contains("2 streams", Assert.Throws<EdgeException>(() => batch.Step(new float[3], new float[2])).Message, StringComparison.Ordinal);
        Assert.Equal(EdgeErrorCode.InvalidArgument, Assert.Throws<EdgeException>(() => batch.Step(new float[2], new float[1])).Code);
        Assert.Equal(EdgeErrorCode.InvalidArgument, Assert.Throws<EdgeException>(() => new StreamBatch(model, 0)).Code);
        Assert.True(batch.Remove(a));
        Assert.False(batch.Remove(a));
        Assert.Equal([b], batch.Streams);
    }

    [Fact]
    public async Task A_member_stepped_by_another_thread_meanwhile_is_refused_and_no_state_is_corrupted()
    {
        using var model = EdgeModel.Load(RepoPaths.Models("gru-attention-ecg"));
        using var shared = model.CreateStream();
        using var first = new StreamBatch(model, 1);
        using var second = new StreamBatch(model, 1);
        first.Add(shared);
        second.Add(shared);
        int refused = 0, steps = 0;
        var go = new Barrier(2);
        void Run(StreamBatch batch)
        {
            var y = new float[1];
            go.SignalAndWait();
            for (int i = 0; i < 20_000; i++)
            {
                try
                {
                    batch.Step([0.25f], y);
                    Interlocked.Increment(ref steps);
                }
                catch (EdgeException e) when (e.Code == EdgeErrorCode.ConcurrentUse)
                {
                    Interlocked.Increment(ref refused);
                }
            }
        }
        var t1 = Task.Factory.StartNew(() => Run(first), TaskCreationOptions.LongRunning);
        var t2 = Task.Factory.StartNew(() => Run(second), TaskCreationOptions.LongRunning);
        await Task.WhenAll(t1, t2);
        Assert.Equal(40_000, steps + refused);
        Assert.Equal(steps, shared.StepCount);
        // The stream's state is that of `steps` clean steps on the same input.
        using var alone = model.CreateStream();
        var z = new float[1];
        for (int i = 0; i < steps; i++) alone.Step([0.25f], z);
        Assert.Equal(alone.Snapshot().Bytes, shared.Snapshot().Bytes);
    }
}
