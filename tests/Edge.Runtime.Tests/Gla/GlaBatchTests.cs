using Edge.Families.Gla;
using Edge.Packages;
using Edge.Streams;

namespace Edge.Runtime.Tests.Gla;

/// <summary>
/// gla-tts streams stepped together in a <see cref="StreamBatch"/> (<see cref="GlaTtsBatchStep"/>): every stream gets
/// the logits and the state it gets stepped alone, bit for bit, each with its own text (and voice), at every
/// precision and thread count; a batch step allocates nothing; a stream without text stops the batch before any
/// stream is stepped.
/// </summary>
public class GlaBatchTests
{
    public static IEnumerable<object[]> Cases()
    {
        foreach (var (seed, variant) in new[] { (1, "conv"), (2, "noconv-sinusoidal-2quant"), (3, "4heads-expand-0.5-odd-widths") })
            foreach (var precision in new[] { "fp32", "int8", "q4" })
                yield return [seed, variant, precision];
    }

    // Audio token ids, deterministic per (stream, step): BOS first, then any id (PAD, EOS and codes).
    private static Func<int, int, float[]> Ids(int nQuant, int vocabulary) =>
        (k, t) => t == 0 ? Enumerable.Repeat(1f, nQuant).ToArray()
            : Enumerable.Range(0, nQuant).Select(q => (float)new Random(7919 * k + 31 * t + q).Next(0, vocabulary)).ToArray();

    // A different text (ids and length) for every stream.
    private static Action<ModelStream, int> Texts(int textVocabulary) => (s, k) =>
    {
        var rng = new Random(100 + k);
        int[] ids = [1, .. Enumerable.Range(0, 5 + 3 * k).Select(_ => rng.Next(3, textVocabulary)), 2];
        s.GetFeature<ITextConditioning>()!.SetTextIds(ids);
    };

    private static WeightPrecision Precision(string name)
    {
        Assert.True(WeightPrecisions.TryParse(name, out var p));
        return p;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Streams_with_different_texts_stepped_together_match_each_stream_alone_bit_for_bit(int seed, string variant, string precision)
    {
        var spec = GlaModelTests.SpecFor(seed, variant);
        using var pkg = spec.Write();
        using var model = EdgeModel.Load(pkg.Folder, new EdgeModelOptions { Precision = Precision(precision) });
        using (var probe = new StreamBatch(model, 1)) Assert.True(probe.IsBatched);
        int shared = BatchParity.AssertSameAsAlone(model, streams: 5, steps: 40, Ids(spec.NQuant, spec.NCodebook + 3), Texts(spec.TextVocab));
        Assert.True(shared > 30, $"{shared} batch steps held more than one stream");
    }

    [Theory]
    [InlineData(192, "fp32", 2)]
    [InlineData(192, "fp32", 3)]
    [InlineData(384, "int8", 2)]
    [InlineData(384, "int8", 3)]
    [InlineData(640, "q4", 2)]
    public void Batched_products_split_across_threads_keep_every_streams_bits(int width, string precision, int threads)
    {
        // Wide enough that the in-projection, o_proj and p_in read at least KernelThreads.MinSplitBytes at this precision.
        var spec = GlaSpec.Random(11, s => (s.D, s.DBlind, s.NCodebook) = (width, 16, 30));
        using var pkg = spec.Write();
        using var model = EdgeModel.Load(pkg.Folder, new EdgeModelOptions { Precision = Precision(precision), Threads = threads });
        Assert.Equal(threads, model.Threads);
        var pool = ((GlaTtsModel)model.StepModel).KernelThreads!;
        long before = pool.SplitProducts;
        BatchParity.AssertSameAsAlone(model, streams: 4, steps: 16, Ids(spec.NQuant, spec.NCodebook + 3), Texts(spec.TextVocab));
        Assert.True(pool.SplitProducts - before >= 16, $"{pool.SplitProducts - before} products were split");
    }

    [Theory]
    [InlineData("fp32")]
    [InlineData("int8")]
    [InlineData("q4")]
    public void The_committed_reference_batches_bit_for_bit_with_its_own_texts_and_voices(string precision)
    {
        string package = RepoPaths.Models("lina-reference");
        using var model = EdgeModel.Load(package, new EdgeModelOptions { Precision = Precision(precision) });
        string[] texts = ["the weather is nice today.", "it is a truth universally acknowledged.", "hello.", "she smiled, and said nothing at all for a while."];
        BatchParity.AssertSameAsAlone(model, streams: 6, steps: 60, Ids(1, ((GlaTtsModel)model.StepModel).Config.AudioVocab), (s, k) =>
        {
            if (k % 2 == 1) s.GetFeature<IVoiceConditioning>()!.LoadVoice(Path.Combine(package, "voices", "demo.safetensors"));
            s.GetFeature<ITextConditioning>()!.SetText(texts[k % texts.Length]);
        });
    }

    [Fact]
    public void A_batch_step_of_eight_streams_allocates_nothing_and_no_state_grows()
    {
        using var model = EdgeModel.Load(RepoPaths.Models("lina-reference"));
        int k = 0;
        BatchParity.AssertNoAllocation(model, 8, s => s.GetFeature<ITextConditioning>()!.SetText(k++ % 2 == 0 ? "hello there." : "a longer sentence, of several words."),
            i => 3 + i % 50);
    }

    [Fact]
    public void A_stream_without_text_stops_the_batch_before_any_stream_is_stepped()
    {
        var spec = GlaModelTests.SpecFor(1, "conv");
        using var pkg = spec.Write();
        using var model = EdgeModel.Load(pkg.Folder);
        var streams = Enumerable.Range(0, 3).Select(_ => model.CreateStream()).ToArray();
        Texts(spec.TextVocab)(streams[0], 0);
        Texts(spec.TextVocab)(streams[2], 2);
        using var batch = new StreamBatch(model, 3);
        foreach (var s in streams) batch.Add(s);
        var outputs = new float[batch.OutputLength];
        batch.Remove(streams[1]);
        batch.Step([1f, 1f], outputs.AsSpan(0, 2 * model.OutputSize));
        batch.Add(streams[1]);
        var before = streams.Select(s => s.Snapshot().Bytes).ToArray();

        var e = Assert.Throws<EdgeException>(() => batch.Step([5f, 6f, 7f], outputs));
        Assert.Equal(EdgeErrorCode.TextRequired, e.Code);
        Assert.Contains("row 2", e.Message, StringComparison.Ordinal);   // the rows are 0, 2, 1 now
        Assert.Equal([1L, 0L, 1L], streams.Select(s => s.StepCount));
        for (int i = 0; i < 3; i++) Assert.Equal(before[i], streams[i].Snapshot().Bytes);

        // A row that is no audio token id is refused the same way: nobody stepped.
        Texts(spec.TextVocab)(streams[1], 1);
        var bad = Assert.Throws<EdgeException>(() => batch.Step([5f, 6.5f, 7f], outputs));
        Assert.Equal(EdgeErrorCode.InvalidInput, bad.Code);
        Assert.Equal([1L, 0L, 1L], streams.Select(s => s.StepCount));
        for (int i = 0; i < 3; i++) Assert.Equal(before[i], streams[i].Snapshot().Bytes);

        batch.Step([5f, 6f, 7f], outputs);
        Assert.Equal([2L, 1L, 2L], streams.Select(s => s.StepCount));
        foreach (var s in streams) s.Dispose();
    }

    [Fact]
    public void A_refusal_inside_try_step_names_the_batch_rows_it_counted_among()
    {
        var spec = GlaModelTests.SpecFor(1, "conv");
        using var pkg = spec.Write();
        using var model = EdgeModel.Load(pkg.Folder);
        var streams = Enumerable.Range(0, 3).Select(_ => model.CreateStream()).ToArray();
        Texts(spec.TextVocab)(streams[0], 0);
        Texts(spec.TextVocab)(streams[1], 1);
        using var batch = new StreamBatch(model, 3);
        foreach (var s in streams) batch.Add(s);
        var outputs = new float[batch.OutputLength];
        // Row 0 is NaN and skipped; of the two finite rows, the second (batch row 2) has no text.
        var e = Assert.Throws<EdgeException>(() => batch.TryStep([float.NaN, 6f, 7f], outputs, new bool[3]));
        Assert.Equal(EdgeErrorCode.TextRequired, e.Code);
        Assert.Contains("they were batch rows 1, 2", e.Message, StringComparison.Ordinal);
        Assert.Equal([0L, 0L, 0L], streams.Select(s => s.StepCount));
        foreach (var s in streams) s.Dispose();
    }
}
