using System.Diagnostics;
using System.Runtime.CompilerServices;
using Edge.Families.Aaren;
using Edge.Diagnostics.Baselines;
using Edge.Streams;

namespace Edge.Diagnostics;

/// <summary>
/// Runs an aaren model and a causal Transformer of the same sizes (<see cref="KvCacheTransformer"/>, same
/// weights and kernels, a cache of every step's keys and values) over one long sequence each, timing every
/// step. At each requested length it reports the median (and the mean) µs per step over the window of steps
/// ending there — the median, because on a shared machine other processes' bursts land in the mean; for
/// aaren, over ten rounds of each window timed in turn from its saved starting state —
/// aaren's state bytes and the Transformer's cache bytes. The cache is reserved up front, so no timed step
/// reallocates; the sequence is a fixed pseudo-random set of inputs cycled through.
/// </summary>
public static class ConstantMemoryBenchmark
{
    /// <summary>The lengths reported by default.</summary>
    public static IReadOnlyList<int> DefaultLengths { get; } = [1_000, 10_000, 100_000];

    private const int Rounds = 10;

    /// <summary>Runs both models to the longest of <paramref name="lengths"/>.</summary>
    /// <param name="model">An aaren model on the CPU backend.</param>
    /// <param name="lengths">Sequence lengths to report, ascending.</param>
    /// <param name="window">Steps averaged for each row (capped at the row's length).</param>
    /// <param name="warmupSeconds">Least time each model steps first (then resets), until its speed is steady, so the JIT and caches settle.</param>
    /// <param name="progress">Called now and then outside the timed steps with a label and the fraction done.</param>
    public static ConstantMemoryResult Run(EdgeModel model, IReadOnlyList<int> lengths, int window = 1000, double warmupSeconds = 3,
        Action<string, double>? progress = null)
    {
        Fail.If(lengths.Count == 0 || lengths.Any(n => n < 1) || !lengths.SequenceEqual(lengths.Order()), EdgeErrorCode.InvalidArgument,
            "lengths must be positive and ascending, e.g. 1000,10000,100000.");
        Fail.If(window < 1, EdgeErrorCode.InvalidArgument, "the window must be at least 1 step.");
        if (model.StepModel is not AarenModel aaren)
            return Fail.With<ConstantMemoryResult>(EdgeErrorCode.UnsupportedFamily,
                $"{model.Package.Path}: the constant-memory benchmark runs an aaren model against a Transformer built from its weights; this package is {model.Family} on {model.BackendName}.");
        int steps = lengths[^1];
        var inputs = MakeInputs(aaren.Config);
        int f = aaren.Config.InputDim;
        var output = new float[aaren.Config.OutputDim];

        // One delegate per model serves warm-up and timing, so the timed code is the code the JIT has already
        // promoted to optimized tier; the timing loop itself is compiled fully optimized up front.
        using var stream = model.CreateStream();
        Action<int> aarenStep = t => stream.Step(inputs.AsSpan((t & 255) * f, f), output);
        Warm(warmupSeconds, aarenStep, stream.Reset, cycle: 2000);
        stream.Reset();
        var (aarenTicks, aarenAlloc, aarenSeconds) = Time(steps, aarenStep, p => progress?.Invoke("aaren", p));
        var aarenWindows = InterleavedWindows(stream, aarenStep, lengths, window);

        var transformer = new KvCacheTransformer(aaren, capacity: 4096);
        Action<int> transformerStep = t => transformer.Step(inputs.AsSpan((t & 255) * f, f), output);
        Warm(warmupSeconds, transformerStep, transformer.Reset, cycle: 2048);
        transformer.Reserve(steps);
        var (tfTicks, tfAlloc, tfSeconds) = Time(steps, transformerStep, p => progress?.Invoke("transformer", p));

        var rows = lengths.Select(n =>
        {
            int w = Math.Min(window, n);
            var aw = aarenWindows[n];
            return new ConstantMemoryRow(n, MedianUs(aw, 0, aw.Length), MeanUs(aw, 0, aw.Length), model.State.Bytes,
                MedianUs(tfTicks, n - w, n), MeanUs(tfTicks, n - w, n), transformer.BytesPerStep * n);
        }).ToList();
        int block = Math.Max(1, Math.Max(window, steps / 200));
        var curveSteps = new List<long>();
        var aarenCurve = new List<double>();
        var tfCurve = new List<double>();
        for (int end = block; end <= steps; end += block)
        {
            curveSteps.Add(end);
            aarenCurve.Add(MedianUs(aarenTicks, end - block, end));
            tfCurve.Add(MedianUs(tfTicks, end - block, end));
        }
        var c = aaren.Config;
        return new ConstantMemoryResult(model.Package.Path, $"F={c.InputDim} D={c.DModel} heads={c.Heads} layers={c.Layers} ffn={c.FfnDim} O={c.OutputDim}",
            window, rows, aarenAlloc / (double)steps, tfAlloc / (double)steps, aarenSeconds, tfSeconds,
            curveSteps, aarenCurve, tfCurve, MachineInfo.Current().Summary);
    }

    // Tiered compilation promotes hot methods to optimized code on a background thread; on a busy 2-core
    // machine that took 1–2 s of wall time, and steps timed before it were 3–7× slower (measured: 2.2 µs
    // steady, 10–16 µs before). So warm up for at least the given time, in cycles from a fresh state, and
    // then until two cycles in a row time alike (median of each cycle's last quarter, within 3%), for at most
    // 5 s more. With 0 s, one cycle.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Warm(double seconds, Action<int> step, Action reset, int cycle)
    {
        long start = Stopwatch.GetTimestamp();
        long min = (long)(seconds * Stopwatch.Frequency), max = min + 5 * Stopwatch.Frequency;
        var tail = new long[cycle / 4];
        double previous = double.MaxValue;
        while (true)
        {
            reset();
            for (int t = 0; t < cycle; t++)
            {
                long t0 = Stopwatch.GetTimestamp();
                step(t);
                if (t >= cycle - tail.Length) tail[t - (cycle - tail.Length)] = Stopwatch.GetTimestamp() - t0;
            }
            Array.Sort(tail);
            double median = tail[tail.Length / 2];
            long elapsed = Stopwatch.GetTimestamp() - start;
            if (seconds == 0 || elapsed > max || (elapsed > min && Math.Abs(median - previous) <= 0.03 * previous)) break;
            previous = median;
        }
        reset();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (long[] Ticks, long Allocated, double Seconds) Time(int steps, Action<int> step, Action<double> progress)
    {
        var ticks = new long[steps];
        Array.Fill(ticks, 1L);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        int chunk = Math.Max(1, steps / 100);
        long allocBefore = GC.GetAllocatedBytesForCurrentThread();
        long started = Stopwatch.GetTimestamp();
        for (int t = 0; t < steps; t++)
        {
            long t0 = Stopwatch.GetTimestamp();
            step(t);
            ticks[t] = Stopwatch.GetTimestamp() - t0;
            if (t % chunk == chunk - 1) progress((t + 1.0) / steps);
        }
        long elapsed = Stopwatch.GetTimestamp() - started;
        return (ticks, GC.GetAllocatedBytesForCurrentThread() - allocBefore, elapsed / (double)Stopwatch.Frequency);
    }

    private static double MeanUs(long[] ticks, int from, int to)
    {
        long sum = 0;
        for (int i = from; i < to; i++) sum += ticks[i];
        return sum * 1e6 / Stopwatch.Frequency / (to - from);
    }

    // Aaren's rows compare lengths whose steps, in one pass, are a whole run apart in time; on a shared machine
    // another process starting in between would show as a change with length. So the state at the start of
    // each row's window is kept from a first pass, and the windows are then timed in turn, round after round,
    // each from its saved state: every row sees the same machine. The rows report all rounds' steps.
    private static Dictionary<int, long[]> InterleavedWindows(ModelStream stream, Action<int> step, IReadOnlyList<int> lengths, int window)
    {
        var starts = new Dictionary<int, StreamState>();
        stream.Reset();
        for (int t = 0, k = 0; k < lengths.Count; t++)
        {
            while (k < lengths.Count && t == lengths[k] - Math.Min(window, lengths[k])) starts[lengths[k++]] = stream.Snapshot();
            if (k < lengths.Count) step(t);
        }
        var samples = lengths.ToDictionary(n => n, n => new long[Rounds * Math.Min(window, n)]);
        for (int round = 0; round < Rounds; round++)
        {
            foreach (int n in lengths)
            {
                int w = Math.Min(window, n);
                stream.Restore(starts[n]);
                TimeWindow(step, n - w, n, samples[n], round * w);
            }
        }
        return samples;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TimeWindow(Action<int> step, int from, int to, long[] ticks, int at)
    {
        for (int t = from; t < to; t++)
        {
            long t0 = Stopwatch.GetTimestamp();
            step(t);
            ticks[at + t - from] = Stopwatch.GetTimestamp() - t0;
        }
    }

    private static double MedianUs(long[] ticks, int from, int to)
    {
        var window = ticks[from..to];
        Array.Sort(window);
        int n = window.Length;
        double median = n % 2 == 1 ? window[n / 2] : (window[n / 2 - 1] + window[n / 2]) / 2.0;
        return median * 1e6 / Stopwatch.Frequency;
    }

    private static float[] MakeInputs(AarenConfig c)
    {
        const int rows = 256;
        var rng = new Random(1234);
        var data = new float[rows * c.InputDim];
        for (int i = 0; i < data.Length; i++)
        {
            int k = i % c.InputDim;
            data[i] = c.InputMean[k] + c.InputStd[k] * (float)(rng.NextDouble() * 2 - 1);
        }
        return data;
    }
}
