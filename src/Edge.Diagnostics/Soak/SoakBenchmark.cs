using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Edge.Streams;

namespace Edge.Diagnostics;

/// <summary>
/// A long run on adversarial inputs (<see cref="SoakPattern"/>), one stream, no reset between phases, as a
/// device sees months of a sensor: every output checked each step, the state every 1024 steps (finite, and its
/// largest magnitude), resident memory and collections over the whole run.
/// </summary>
public static class SoakBenchmark
{
    private const int CheckEvery = 1024;

    /// <summary>Runs <paramref name="steps"/> steps split evenly over the patterns.</summary>
    /// <param name="model">The model.</param>
    /// <param name="steps">Steps in all; at least one per pattern.</param>
    /// <param name="progress">Called now and then with the fraction done (0..1).</param>
    public static SoakResult Run(EdgeModel model, long steps, Action<double>? progress = null)
    {
        var patterns = Enum.GetValues<SoakPattern>();
        Fail.If(steps < patterns.Length, EdgeErrorCode.InvalidArgument, $"a soak needs at least {patterns.Length} steps, one per input pattern.");
        using var stream = model.CreateStream();
        if (stream.GetFeature<ITextConditioning>() is { } text)
            text.SetTextIds([1, .. Enumerable.Range(0, 62).Select(i => 3 + i % Math.Max(1, text.TextVocabulary - 3)), 2]);
        int n = model.InputSize, vocabulary = model.StepModel.InputVocabulary;
        var input = new float[n];
        var output = new float[model.OutputSize];
        var state = new StreamState(model);
        var rng = new Random(20261201);

        // Warm-up on the first pattern, then a fresh start, so the JIT is not what the memory figures show.
        for (int i = 0; i < 2000; i++)
        {
            Fill(input, SoakPattern.Random, i, vocabulary, rng);
            stream.Step(input, output);
        }
        stream.Reset();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long rssStart = ResidentMemory.Bytes();
        int gen0 = GC.CollectionCount(0), gen2 = GC.CollectionCount(2);
        long allocated = 0;

        var phases = new List<SoakPhase>(patterns.Length);
        var entries = model.State.Entries;
        var run = new Tally(entries.Count, steps, progress);
        for (int p = 0; p < patterns.Length; p++)
        {
            long phaseSteps = steps / patterns.Length + (p < steps % patterns.Length ? 1 : 0);
            run.StartPhase();
            long started = Stopwatch.GetTimestamp();
            long allocBefore = GC.GetAllocatedBytesForCurrentThread();
            RunPhase(stream, patterns[p], phaseSteps, vocabulary, input, output, state, rng, run);
            allocated += GC.GetAllocatedBytesForCurrentThread() - allocBefore;
            double seconds = (Stopwatch.GetTimestamp() - started) / (double)Stopwatch.Frequency;
            phases.Add(new SoakPhase(JsonNamingPolicy.SnakeCaseLower.ConvertName(patterns[p].ToString()), phaseSteps, run.NonFinite, run.MaxOut,
                ByEntry(entries, run.MaxState), ByEntry(entries, run.EndState), run.Invalid, phaseSteps / Math.Max(seconds, 1e-9)));
        }
        long rssEnd = ResidentMemory.Bytes();
        return new SoakResult(
            Steps: steps, Phases: phases, Finite: phases.All(ph => ph.NonFiniteOutputs == 0 && ph.InvalidState is null),
            RssStartBytes: rssStart, RssEndBytes: rssEnd, AllocBytesPerStep: allocated / (double)steps,
            Gen0Collections: GC.CollectionCount(0) - gen0, Gen2Collections: GC.CollectionCount(2) - gen2,
            StateBytes: model.State.Bytes, Backend: model.BackendName, Machine: MachineInfo.Current().Summary);
    }

    // Its own method, fully optimised from the start: a long loop in a method that tiers up mid-run (OSR)
    // allocates on this thread, which would read as the model allocating.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunPhase(ModelStream stream, SoakPattern pattern, long steps, int vocabulary, float[] input, float[] output,
        StreamState state, Random rng, Tally t)
    {
        var layout = stream.Model.State;
        for (long s = 0; s < steps; s++)
        {
            Fill(input, pattern, s, vocabulary, rng);
            stream.Step(input, output);
            foreach (float y in output)
            {
                if (!float.IsFinite(y)) t.NonFinite++;
                else if (Math.Abs(y) > t.MaxOut) t.MaxOut = Math.Abs(y);
            }
            if (s % CheckEvery == CheckEvery - 1 || s == steps - 1)
            {
                stream.Snapshot(state);
                t.Invalid ??= layout.FirstInvalidValue(state.Bytes);
                for (int e = 0; e < layout.Entries.Count; e++)
                {
                    t.EndState[e] = MaxAbs(layout.Entries[e], state.Bytes);
                    t.MaxState[e] = Math.Max(t.MaxState[e], t.EndState[e]);
                }
            }
            t.Step();
        }
    }

    // What one phase has seen so far, and the progress over the whole run.
    private sealed class Tally(int entries, long total, Action<double>? progress)
    {
        private readonly long _chunk = Math.Max(1, total / 100);
        private long _done;

        public long NonFinite { get; set; }

        public double MaxOut { get; set; }

        public double[] MaxState { get; } = new double[entries];

        public double[] EndState { get; } = new double[entries];

        public string? Invalid { get; set; }

        public void StartPhase()
        {
            NonFinite = 0;
            MaxOut = 0;
            Array.Clear(MaxState);
            Array.Clear(EndState);
            Invalid = null;
        }

        public void Step()
        {
            if (progress is not null && ++_done % _chunk == 0) progress((double)_done / total);
        }
    }

    private static void Fill(float[] x, SoakPattern pattern, long step, int vocabulary, Random rng)
    {
        if (vocabulary > 0)
        {
            int last = vocabulary - 1;
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = pattern switch
                {
                    SoakPattern.Random => rng.Next(vocabulary),
                    SoakPattern.Huge => last,
                    SoakPattern.AlternatingSign => step % 2 == 0 ? 0 : last,
                    _ => 0,
                };
            }
            return;
        }
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = pattern switch
            {
                SoakPattern.Random => (float)(rng.NextDouble() * 2 - 1),
                SoakPattern.Constant => 1f,
                SoakPattern.Huge => 1e6f,
                SoakPattern.AlternatingSign => step % 2 == 0 ? 1e3f : -1e3f,
                SoakPattern.Denormal => (step + i) % 2 == 0 ? 1e-40f : -1e-40f,
                _ => 0f,
            };
        }
    }

    private static Dictionary<string, double> ByEntry(IReadOnlyList<StateEntry> entries, double[] values) =>
        entries.Select((e, i) => (e.Name, values[i])).ToDictionary(x => x.Name, x => x.Item2, StringComparer.Ordinal);

    private static double MaxAbs(StateEntry e, byte[] state)
    {
        double max = 0;
        if (e.DType == StateDType.F64)
        {
            foreach (double v in StateLayout.Doubles(state, e))
            {
                if (double.IsFinite(v) && Math.Abs(v) > max) max = Math.Abs(v);
            }
        }
        else
        {
            foreach (float v in StateLayout.Floats(state, e))
            {
                if (float.IsFinite(v) && Math.Abs(v) > max) max = Math.Abs(v);
            }
        }
        return max;
    }
}
