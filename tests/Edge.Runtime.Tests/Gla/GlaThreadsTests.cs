using Edge.Backends;
using Edge.Families.Gla;
using Edge.Formats.Npy;
using Edge.Packages;
using Edge.Streams;

namespace Edge.Runtime.Tests.Gla;

/// <summary>
/// <see cref="EdgeModelOptions.Threads"/> on gla-tts: the default voice model's golden run (its projections are
/// large enough to be split at fp32 and fp16) gives the same bits on 1, 2 and 3 threads, a step allocates
/// nothing on any of its threads, and disposing the model stops its workers.
/// </summary>
public class GlaThreadsTests
{
    private static readonly string Package = RepoPaths.Models("tts-default");
    private const string Golden = "golden-voice";

    private static float[] GoldenRun(EdgeModel model)
    {
        using var stream = model.CreateStream();
        stream.GetFeature<IVoiceConditioning>()!.LoadVoice(Path.Combine(Package, "voices", "default.safetensors"));
        stream.GetFeature<ITextConditioning>()!.SetText(GlaGoldenTests.Text(Package, Golden));
        var input = NpyFile.Read(Path.Combine(Package, Golden, "input.npy"));
        var logits = new float[input.Rows * model.OutputSize];
        for (int t = 0; t < input.Rows; t++) stream.Step(input.Row(t), logits.AsSpan(t * model.OutputSize, model.OutputSize));
        return [.. logits, .. stream.Snapshot().ToFloat32()];
    }

    [Theory]
    [InlineData(WeightPrecision.Fp32)]
    [InlineData(WeightPrecision.Fp16)]
    public void The_golden_run_has_the_same_bits_on_one_two_and_three_threads(WeightPrecision precision)
    {
        float[] one;
        using (var model = EdgeModel.Load(Package, new EdgeModelOptions { Precision = precision, Threads = 1 }))
        {
            Assert.Equal(1, model.Threads);
            one = GoldenRun(model);
        }
        var expected = one.Select(BitConverter.SingleToInt32Bits).ToArray();
        var reference = NpyFile.Read(Path.Combine(Package, Golden, "output.npy"));
        if (precision == WeightPrecision.Fp16)   // the package's own precision: within the golden test's tolerance of PyTorch
            Assert.True(reference.Data.Select((v, i) => Math.Abs(v - one[i])).Max() <= 2e-4);
        foreach (int n in new[] { 2, 3 })
        {
            using var model = EdgeModel.Load(Package, new EdgeModelOptions { Precision = precision, Threads = n });
            Assert.Equal(n, model.Threads);
            var threaded = GoldenRun(model);
            Assert.Equal(expected, threaded.Select(BitConverter.SingleToInt32Bits).ToArray());
            // The in-projections really were split (at int8 and q4 this model's matrices are all below
            // KernelThreads.MinSplitBytes and stay on one thread; the kernel tests split those storages).
            Assert.True(((GlaTtsModel)model.StepModel).KernelThreads!.SplitProducts >= reference.Rows, $"{n} threads, {precision}");
        }
    }

    [Fact]
    public void A_step_on_two_threads_allocates_nothing_on_either()
    {
        using var model = EdgeModel.Load(Package, new EdgeModelOptions { Threads = 2 });
        var report = (IThreadReport)model.StepModel;
        using var stream = model.CreateStream();
        stream.GetFeature<ITextConditioning>()!.SetText("the weather is nice today.");
        var x = new float[1];
        var y = new float[model.OutputSize];
        for (int i = 0; i < 200; i++) { x[0] = 3 + i % 50; stream.Step(x, y); }
        long before = GC.GetAllocatedBytesForCurrentThread(), workers = report.WorkerAllocatedBytes;
        for (int i = 0; i < 2000; i++) { x[0] = 3 + i % 50; stream.Step(x, y); }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(0, report.WorkerAllocatedBytes - workers);
        Assert.True(((GlaTtsModel)model.StepModel).KernelThreads!.SplitProducts >= 2200);
    }

    [Fact]
    public void Disposing_the_model_stops_its_workers()
    {
        var model = EdgeModel.Load(Package, new EdgeModelOptions { Threads = 3 });
        var pool = ((GlaTtsModel)model.StepModel).KernelThreads!;
        Assert.Equal(2, pool.WorkersAlive);
        model.Dispose();
        Assert.Equal(0, pool.WorkersAlive);
    }

    [Fact]
    public void Small_models_step_on_one_thread_unless_asked_and_a_bad_count_is_refused()
    {
        using (var model = EdgeModel.Load(Package)) Assert.Equal(1, model.Threads);   // 2 MB of weights a step: below 64 MB
        using (var ecg = EdgeModel.Load(RepoPaths.Models("gru-attention-ecg"), new EdgeModelOptions { Threads = 4 }))
            Assert.Equal(1, ecg.Threads);   // a family with small steps always steps on one thread
        foreach (int bad in new[] { 0, -1, 1000 })
        {
            var e = Assert.Throws<EdgeException>(() => EdgeModel.Load(Package, new EdgeModelOptions { Threads = bad }));
            Assert.Equal(EdgeErrorCode.InvalidArgument, e.Code);
            Assert.Contains("1 to 256", e.Message);
        }
    }
}
