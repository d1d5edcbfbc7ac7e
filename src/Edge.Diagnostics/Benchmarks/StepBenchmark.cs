using System.Diagnostics;
using System.Runtime.CompilerServices;
using Edge.Backends;
using Edge.Streams;

namespace Edge.Diagnostics;

/// <summary>
/// Times a stream's steps: per-step latency percentiles, throughput, bytes allocated per step on the
/// stepping thread (and the model's worker threads), and resident-memory growth over the run. Inputs are a fixed pseudo-random set
/// cycled through, so the run measures the step and nothing else.
/// </summary>
public static class StepBenchmark
{
    /// <summary>Runs <paramref name="steps"/> measured steps after <paramref name="warmup"/> unmeasured ones.</summary>
    /// <param name="model">The model.</param>
    /// <param name="steps">Measured steps.</param>
    /// <param name="warmup">Steps run first so the JIT and caches settle.</param>
    /// <param name="progress">Called now and then with the fraction done (0..1), outside the timed steps.</param>
    public static StepBenchmarkResult Run(EdgeModel model, long steps, int warmup = 2000, Action<double>? progress = null)
    {
        Fail.If(steps < 1, EdgeErrorCode.InvalidArgument, "the number of steps must be at least 1.");
        using var stream = model.CreateStream();
        Prepare(stream);
        var inputs = MakeInputs(model);
        int rows = inputs.Length / Math.Max(1, model.InputSize);
        var output = new float[model.OutputSize];
        JitWarmup.Run(warmup, TimeSpan.FromSeconds(0.5), i => Step(stream, inputs, i % rows, output));
        stream.Reset();

        // One timing per step, up to a million; the buffer is touched before the baseline so it is not counted as growth.
        int samples = (int)Math.Min(steps, 1_000_000);
        var ticks = new long[samples];
        Array.Fill(ticks, 1L);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        // One pass of the measuring loop itself over the whole timing buffer before the baseline: the
        // first process-wide pass costs a one-time few MB (seen on Linux), which is not the model's growth.
        ResidentMemory.Bytes();
        Measure(stream, inputs, rows, output, ticks, samples, null);
        stream.Reset();
        long rssBefore = ResidentMemory.Bytes();
        var workers = model.StepModel as IThreadReport;
        long allocBefore = GC.GetAllocatedBytesForCurrentThread() + (workers?.WorkerAllocatedBytes ?? 0);
        long elapsed = Measure(stream, inputs, rows, output, ticks, steps, progress);
        long allocAfter = GC.GetAllocatedBytesForCurrentThread() + (workers?.WorkerAllocatedBytes ?? 0);
        long rssAfter = ResidentMemory.Bytes();

        Array.Sort(ticks);
        double usPerTick = 1e6 / Stopwatch.Frequency;
        return new StepBenchmarkResult(
            Steps: steps,
            UsPerStepP50: ticks[samples / 2] * usPerTick,
            UsPerStepP99: ticks[Math.Min(samples - 1, (int)(samples * 0.99))] * usPerTick,
            StepsPerSecond: steps / (elapsed / (double)Stopwatch.Frequency),
            AllocBytesPerStep: (allocAfter - allocBefore) / (double)steps,
            RssGrowthBytes: rssAfter - rssBefore,
            StateBytes: model.State.Bytes,
            Backend: model.BackendName,
            Machine: MachineInfo.Current().Summary,
            Threads: model.Threads);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long Measure(ModelStream stream, float[] inputs, int rows, float[] output, long[] ticks, long steps, Action<double>? progress)
    {
        int samples = ticks.Length;
        long chunk = Math.Max(1, steps / 100);
        long started = Stopwatch.GetTimestamp();
        for (long s = 0; s < steps; s++)
        {
            long t0 = Stopwatch.GetTimestamp();
            Step(stream, inputs, (int)(s % rows), output);
            ticks[s % samples] = Stopwatch.GetTimestamp() - t0;
            if (progress is not null && s % chunk == chunk - 1) progress((double)(s + 1) / steps);
        }
        return Stopwatch.GetTimestamp() - started;
    }

    private static void Step(ModelStream stream, float[] inputs, int row, float[] output)
        => stream.Step(inputs.AsSpan(row * stream.Model.InputSize, stream.Model.InputSize), output);

    /// <summary>Readies a stream to step: text-conditioned models (gla-tts) get a fixed sample text of 64 tokens (BOS, ids 3.., EOS).</summary>
    internal static void Prepare(ModelStream stream)
    {
        if (stream.GetFeature<ITextConditioning>() is { } text)
            text.SetTextIds([1, .. Enumerable.Range(0, 62).Select(i => 3 + i % Math.Max(1, text.TextVocabulary - 3)), 2]);
    }

    /// <summary>256 rows of pseudo-random inputs (token ids for a model that takes them), cycled through by a run.</summary>
    internal static float[] MakeInputs(EdgeModel model)
    {
        const int rows = 256;
        var rng = new Random(1234);
        var data = new float[rows * model.InputSize];
        int vocabulary = model.StepModel.InputVocabulary;
        if (vocabulary > 0)
            for (int i = 0; i < data.Length; i++) data[i] = rng.Next(0, vocabulary);   // token ids as floats
        else
            for (int i = 0; i < data.Length; i++) data[i] = (float)(rng.NextDouble() * 2 - 1);
        return data;
    }
}
