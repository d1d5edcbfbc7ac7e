using System.Diagnostics;
using System.Globalization;
using Edge.Backends;
using Edge.Families.Gla;
using Edge.Diagnostics;
using Edge.Formats.Safetensors;
using Edge.Packages;
using Edge.Streams;

namespace Edge.Diagnostics;

/// <summary>
/// The gla-tts decoder at release size (Lina-Speech 169M-class: d_model 1024, 6 encoder + 6 decoder GLA
/// blocks, expand_k 1, expand_v 2, short convs, one codebook of 4096), with random weights made in memory
/// at run time (nothing is written to disk). Reports tokens/s on one or more threads against the roofline:
/// measured bandwidth (of as many threads) over the bytes of weights one step reads.
/// </summary>
public static class GlaReleaseBenchmark
{
    /// <summary>The audio frame rate the real-time factor is measured against (WavTokenizer, 24 kHz, hop 320).</summary>
    public const double TokensPerSecondOfAudio = 75;

    /// <summary>The release-size config (heads, d_blind and the text encoder's depth are our assumptions; see the family README).</summary>
    public static GlaConfig ReleaseConfig { get; } = new(
        DModel: 1024, Heads: 2, ExpandK: 1f, ExpandV: 2f, GateLowRankDim: 16, GateLogitNormalizer: 16f, UseShortConv: true, ConvSize: 4,
        EncoderLayers: 6, DecoderLayers: 6, DBlind: 64, PosType: GlaPositionType.Convolutional, NQuant: 1, NCodebook: 4096,
        TextVocab: 256, TextLayers: 2, TextHeads: 2, Eps: 1e-5f);

    /// <summary>
    /// Builds the model with its matrices kept at <paramref name="precision"/>, measures bandwidth, runs <paramref name="steps"/> timed
    /// decoder steps on <paramref name="threads"/> threads (null: <see cref="Edge.Kernels.KernelThreads.Automatic"/> of the step's
    /// weight bytes). On more than one thread the same steps also run on one thread of the same model, in alternating
    /// blocks, so both figures see the same load from other work. <paramref name="roofline"/>: also measure the peak FLOP
    /// rate and report the step against both limits (<see cref="GlaReleaseBenchmarkResult.Roofline"/>).
    /// </summary>
    public static GlaReleaseBenchmarkResult Run(int steps = 100, int warmup = 10, Action<string>? log = null, WeightPrecision precision = WeightPrecision.Fp32, int? threads = null,
        bool roofline = false)
    {
        var c = ReleaseConfig;
        log?.Invoke($"making random weights in memory ({precision.Name()}) …");
        using var model = Build(c, seed: 1, precision, threads: 1);
        int n = threads ?? Edge.Kernels.KernelThreads.Automatic(model.StepWeightBytes);
        using var threaded = n > 1 ? model.WithThreads(n) : null;
        log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"{model.ParameterCount / 1e6:F1} M parameters; measuring memory bandwidth …"));
        // The probe reads as many bytes a pass as a step moves (weights and state, at least 256 MiB: far past any cache),
        // so its passes and the steps are timed over spells of the same length.
        long probe = Math.Max(model.StepWeightBytes + model.State.Bytes, 256L << 20);
        double bandwidth = MemoryBandwidth.MeasureReadBytesPerSecond(probe, passes: 3, threads: 1);
        double bandwidthAll = Environment.ProcessorCount > 1
            ? MemoryBandwidth.MeasureReadBytesPerSecond(probe, passes: 3, threads: Environment.ProcessorCount) : bandwidth;
        // The roofline's bandwidth is that of as many threads as step (one per core at most).
        double bandwidthUsed = n == 1 ? bandwidth : n >= Environment.ProcessorCount ? bandwidthAll
            : MemoryBandwidth.MeasureReadBytesPerSecond(probe, passes: 3, threads: n);

        const int textTokens = 64;
        int[] text = [GlaTokenizer.Bos, .. Enumerable.Range(0, textTokens - 2).Select(i => 3 + i % 250), GlaTokenizer.Eos];
        using var one = Session(model, text);
        using var many = threaded is null ? null : Session(threaded, text);
        var input = new float[1];
        var output = new float[model.OutputSize];
        var rng = new Random(3);
        log?.Invoke(n == 1
            ? $"warming up (at least {warmup} steps and 2 s), then {steps} timed decoder steps on 1 thread …"
            : $"warming up (at least {warmup} steps and 2 s each), then {steps} timed decoder steps on {n} threads and {steps} on 1, in alternating blocks …");
        if (many is not null) JitWarmup.Run(warmup, TimeSpan.FromSeconds(1), _ => { input[0] = rng.Next(3, c.AudioVocab); many.Step(input, output); });
        JitWarmup.Run(warmup, TimeSpan.FromSeconds(1), _ => { input[0] = rng.Next(3, c.AudioVocab); one.Step(input, output); });

        var ticks = new long[steps];
        var ticksOne = many is null ? ticks : new long[steps];
        long alloc = 0, workers0 = threaded?.WorkerAllocatedBytes ?? 0;
        var cpu = TimeSpan.Zero;
        // Ten blocks; after each, one more bandwidth pass on the steps' thread count, so the probe samples the same
        // spells of load from other work the steps do (a fastest step must not beat a probe that ran only at the start).
        int block = Math.Max(1, steps / 10);
        int used = Math.Min(n, Environment.ProcessorCount);
        for (int done = 0; done < steps; done += block)
        {
            int count = Math.Min(block, steps - done);
            if (done > 0)
            {
                bandwidthUsed = Math.Max(bandwidthUsed, MemoryBandwidth.MeasureReadBytesPerSecond(probe, passes: 1, threads: used));
                if (used == 1) bandwidth = bandwidthUsed;
                if (used == Environment.ProcessorCount) bandwidthAll = bandwidthUsed;
            }
            if (many is not null)
            {
                var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                alloc += Timed(many, ticks.AsSpan(done, count), input, output, rng, c.AudioVocab);
                cpu += Process.GetCurrentProcess().TotalProcessorTime - cpu0;
                alloc += Timed(one, ticksOne.AsSpan(done, count), input, output, rng, c.AudioVocab);
            }
            else
            {
                var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                alloc += Timed(one, ticks.AsSpan(done, count), input, output, rng, c.AudioVocab);
                cpu += Process.GetCurrentProcess().TotalProcessorTime - cpu0;
            }
        }
        alloc += (threaded?.WorkerAllocatedBytes ?? 0) - workers0;
        double tps = steps / (ticks.Sum() / (double)Stopwatch.Frequency);
        double tpsOne = many is null ? tps : steps / (ticksOne.Sum() / (double)Stopwatch.Frequency);
        Array.Sort(ticks);

        long weightBytes = model.StepWeightBytes;
        long stateBytes = model.State.Bytes;
        double roof = bandwidthUsed / weightBytes, roofState = bandwidthUsed / (weightBytes + 2.0 * stateBytes);
        // Best step against best bandwidth pass: both as close to an idle machine as this run got.
        double bestTps = Stopwatch.Frequency / (double)ticks[0];
        RooflineResult? limits = null;
        if (roofline)
        {
            log?.Invoke("measuring the peak FLOP rate …");
            int cores = Environment.ProcessorCount;
            double f1 = PeakFlops.MeasureFlopsPerSecond(1), fAll = cores > 1 ? PeakFlops.MeasureFlopsPerSecond(cores) : f1;
            double f = used == 1 ? f1 : used == cores ? fAll : PeakFlops.MeasureFlopsPerSecond(used);
            limits = Roofline.Of(model, tps, new MachineLimits(probe, used, bandwidth, bandwidthAll, bandwidthUsed, f1, fAll, f));
        }
        return new GlaReleaseBenchmarkResult(
            ConfigJson(c), model.ParameterCount, weightBytes, stateBytes, textTokens, steps, tps,
            ticks[steps / 2] * 1000.0 / Stopwatch.Frequency, TokensPerSecondOfAudio / tps, alloc / (double)(many is null ? steps : 2 * steps), bandwidth / 1e9,
            roof, 100 * tps / roof, roofState, 100 * tps / roofState, 1000 * cpu.TotalSeconds / steps, bestTps, 100 * bestTps / roof, MachineInfo.Current().Summary, LoadAverage(), precision.Name(), bandwidthAll / 1e9,
            n, tpsOne, tps / tpsOne, bandwidthUsed / 1e9, limits);
    }

    private static IStepSession Session(GlaTtsModel model, int[] text)
    {
        var session = model.CreateSession();
        session.Reset();
        ((ITextConditioning)session).SetTextIds(text);
        return session;
    }

    // Steps the session once per tick slot, each step timed; returns the bytes the stepping thread allocated.
    private static long Timed(IStepSession session, Span<long> ticks, float[] input, float[] output, Random rng, int vocab)
    {
        long alloc0 = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < ticks.Length; i++)
        {
            input[0] = rng.Next(3, vocab);
            long t0 = Stopwatch.GetTimestamp();
            session.Step(input, output);
            ticks[i] = Stopwatch.GetTimestamp() - t0;
        }
        return GC.GetAllocatedBytesForCurrentThread() - alloc0;
    }

    /// <summary>A model of config <paramref name="c"/> with seeded random weights (uniform, scaled 1/√fan-in; norms near 1).</summary>
    public static GlaTtsModel Build(GlaConfig c, int seed, WeightPrecision precision = WeightPrecision.Fp32, int? threads = null)
    {
        var rng = new Random(seed);
        var entries = new List<SafetensorsWriter.Entry>();
        foreach (var (name, shape) in GlaTensorNames.For(c))
        {
            long n = 1;
            foreach (int s in shape) n *= s;
            var data = GC.AllocateUninitializedArray<float>((int)n);
            bool norm = name.Contains("norm", StringComparison.Ordinal) || name.Contains(".ln_", StringComparison.Ordinal);
            float scale = name.EndsWith(".bias", StringComparison.Ordinal) ? 0.1f : norm ? 0.1f : 1f / MathF.Sqrt(shape[^1]);
            float offset = norm && name.EndsWith(".weight", StringComparison.Ordinal) ? 1f : 0f;
            if (name.EndsWith("rotary.freqs", StringComparison.Ordinal))
                for (int i = 0; i < n; i++) data[i] = (float)Math.Pow(10000, -2.0 * i / (c.TextHeadDim / 2));
            else
                for (int i = 0; i < n; i++) data[i] = offset + scale * (2 * rng.NextSingle() - 1);
            entries.Add(new SafetensorsWriter.Entry(name, shape, data));
        }
        var bytes = SafetensorsWriter.ToBytes(entries, null);
        entries.Clear();
        using var weights = new ModelWeights(SafetensorsFile.Open(new MemoryStream(bytes, writable: false), "release-benchmark weights"));
        return GlaTtsModel.Create(c, weights, tokenizer: null, sha256: "release-benchmark", name: "release-benchmark", options: null, precision, threads);
    }

    private static Dictionary<string, object> ConfigJson(GlaConfig c) => new()
    {
        ["d_model"] = c.DModel, ["heads"] = c.Heads, ["expand_k"] = c.ExpandK, ["expand_v"] = c.ExpandV,
        ["gate_low_rank_dim"] = c.GateLowRankDim, ["gate_logit_normalizer"] = c.GateLogitNormalizer, ["use_short_conv"] = c.UseShortConv,
        ["conv_size"] = c.ConvSize, ["encoder_layers"] = c.EncoderLayers, ["decoder_layers"] = c.DecoderLayers, ["d_blind"] = c.DBlind,
        ["pos_type"] = "convolutional", ["n_quant"] = c.NQuant, ["n_codebook"] = c.NCodebook, ["text_vocab"] = c.TextVocab,
        ["text_layers"] = c.TextLayers, ["text_heads"] = c.TextHeads, ["eps"] = c.Eps,
    };

    internal static double LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg")
                ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture)
                : -1;
        }
        catch (IOException)
        {
            return -1;
        }
    }
}
