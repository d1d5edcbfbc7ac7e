using System.Globalization;
using System.Text.Json.Nodes;
using Edge.Backends;
using Edge.Cli.Demo;
using Edge.Diagnostics;
using Edge.Onnx;
using Edge.Onnx.Providers;
using Edge.Packages;
using Edge.Streams;

namespace Edge.Cli.Commands;

/// <summary>
/// <c>edge profile detect</c>: measures this machine (instruction sets, read bandwidth and peak FLOP rate on one core and on
/// all, a short timing of each committed family on the CPU backend at every precision, on one thread and on one a core, and
/// on the ONNX backend) and makes a device profile that picks, for each family, the fastest of those settings, and for a
/// family with a batched step the batch limit past which a larger batch costs no less per stream.
/// </summary>
internal static class ProfileDetect
{
    /// <summary>One embedded package per CPU family, each with its step.onnx.</summary>
    public static IReadOnlyList<(string Family, string Model)> Packages { get; } =
        [("gru-attention", "gru-attention-ecg"), ("aaren", "aaren-co2"), ("cae", "laser-detector"), ("gla-tts", "lina-reference")];

    /// <summary>One timed configuration: <paramref name="UsPerStep"/> null when it could not run (<paramref name="Problem"/> says why).</summary>
    public sealed record Run(string Family, string Model, string Backend, string? Precision, int Threads, double? UsPerStep, string? Problem);

    /// <summary>Measures and returns the profile named <paramref name="name"/>; <paramref name="quick"/> shortens every timing (seconds in all, for tests).</summary>
    public static DeviceProfile Detect(string name, bool quick, Action<string> progress)
    {
        var machine = MachineInfo.Current();
        progress($"{machine.Summary}");
        progress("measuring memory bandwidth and the peak FLOP rate …");
        var limits = MachineLimits.Measure(long.MaxValue, Environment.ProcessorCount, quick);
        progress(string.Create(CultureInfo.InvariantCulture,
            $"bandwidth {limits.BandwidthOneCore / 1e9:F2} GB/s on 1 core, {limits.BandwidthAllCores / 1e9:F2} on {machine.Cores}; peak {limits.PeakFlopsOneCore / 1e9:F1} GFLOP/s on 1 core, {limits.PeakFlopsAllCores / 1e9:F1} on {machine.Cores}"));
        var warmup = TimeSpan.FromSeconds(quick ? 0.02 : 0.3);
        var measure = TimeSpan.FromSeconds(quick ? 0.03 : 0.6);
        var runs = new List<Run>();
        var families = new Dictionary<string, CpuProfile>(StringComparer.Ordinal);
        var batchLimits = new List<int>();
        var batches = new JsonArray();
        foreach (var (family, modelName) in Packages)
        {
            string pkg = DemoModels.Extract(modelName);
            var mine = new List<Run>();
            bool threaded = false;   // only families whose step splits its products (IThreadReport) get a run on one thread a core
            foreach (var precision in Enum.GetValues<WeightPrecision>())
            {
                mine.Add(Time(family, modelName, pkg, BackendChoice.LoadOptions(CpuBackend.Instance, precision, 1), precision.Name(), 1, warmup, measure, m => threaded |= m.StepModel is IThreadReport));
                progress(Line(mine[^1]));
            }
            var bestCpu = mine.Where(r => r.UsPerStep is not null).MinBy(r => r.UsPerStep);
            if (bestCpu is not null && machine.Cores > 1 && threaded)
            {
                var p = WeightPrecisions.TryParse(bestCpu.Precision, out var parsed) ? parsed : WeightPrecision.Fp32;
                mine.Add(Time(family, modelName, pkg, BackendChoice.LoadOptions(CpuBackend.Instance, p, machine.Cores), bestCpu.Precision, machine.Cores, warmup, measure, _ => { }));
                progress(Line(mine[^1]));
            }
            mine.Add(Time(family, modelName, pkg, BackendChoice.LoadOptions(new OnnxBackend()), null, 1, warmup, measure, _ => { }));
            progress(Line(mine[^1]));
            runs.AddRange(mine);
            var best = mine.Where(r => r.UsPerStep is not null).MinBy(r => r.UsPerStep);
            if (best is null) continue;
            if (best.Backend != "cpu")
            {
                families[family] = new CpuProfile("onnx", null, null, null);
                continue;
            }
            var precisionOfBest = WeightPrecisions.TryParse(best.Precision, out var bp) ? bp : (WeightPrecision?)null;
            int? batch = MeasureBatchLimit(pkg, BackendChoice.LoadOptions(CpuBackend.Instance, precisionOfBest, best.Threads), warmup, measure, batches, out string? timings);
            if (timings is not null) progress($"{family,-14} batched {timings}");
            if (batch is { } b) batchLimits.Add(b);
            families[family] = new CpuProfile("cpu", precisionOfBest, best.Threads, batch);
        }
        int cpuWins = families.Values.Count(f => f.Backend == "cpu");
        var measured = new JsonObject
        {
            ["machine"] = machine.Summary,
            ["cores"] = machine.Cores,
            ["isa"] = new JsonArray([.. machine.Isa.Select(i => (JsonNode?)i)]),
            ["vector_bits"] = machine.VectorBits,
            ["bandwidth_one_core_bytes_per_second"] = Round(limits.BandwidthOneCore),
            ["bandwidth_all_cores_bytes_per_second"] = Round(limits.BandwidthAllCores),
            ["peak_flops_one_core"] = Round(limits.PeakFlopsOneCore),
            ["peak_flops_all_cores"] = Round(limits.PeakFlopsAllCores),
            ["quick"] = quick,
            ["batches"] = batches,
            ["runs"] = new JsonArray([.. runs.Select(r => (JsonNode?)new JsonObject
            {
                ["family"] = r.Family, ["model"] = r.Model, ["backend"] = r.Backend, ["precision"] = r.Precision, ["threads"] = r.Threads,
                ["us_per_step_p50"] = r.UsPerStep is { } us ? Math.Round(us, 3) : null, ["problem"] = r.Problem,
            })]),
        };
        using var doc = System.Text.Json.JsonDocument.Parse(measured.ToJsonString());
        return new DeviceProfile(name, ["cpu"], false, 1, false, 0)
        {
            Description = $"Measured by edge profile detect{(quick ? " --quick" : "")} on {machine.Summary}: each family on its fastest backend, precision and thread count.",
            Backends = cpuWins * 2 >= families.Count ? ["cpu", "onnx"] : ["onnx", "cpu"],
            Cpu = new CpuProfile(null, null, 0, batchLimits.Count > 0 ? batchLimits.Min() : null),
            Families = families,
            Measured = doc.RootElement.Clone(),
        };
    }

    /// <summary>The batch sizes <c>edge profile detect</c> times a batched family at.</summary>
    public static IReadOnlyList<int> BatchSizes { get; } = [1, 4, 16, 64, 256];

    /// <summary>
    /// The batch limit for a package loaded with <paramref name="options"/>: the smallest of <see cref="BatchSizes"/> whose
    /// measured cost per stream is within 3 % of the lowest (a larger batch gains nothing more here, and a smaller one
    /// keeps the streams' states in cache); null for a family without a batched step (its streams step one after
    /// another whatever the limit). <paramref name="timings"/> lists the µs per stream at each size.
    /// </summary>
    public static int? MeasureBatchLimit(string pkg, EdgeModelOptions options, TimeSpan warmup, TimeSpan measure, JsonArray record, out string? timings)
    {
        timings = null;
        try
        {
            using var m = EdgeModel.Load(pkg, options);
            using (var probe = new StreamBatch(m, 1))
                if (!probe.IsBatched) return null;
            var perStream = BatchSizes.Select(b => StepTimer.MedianMicrosecondsPerStream(m, b, warmup, measure)).ToArray();
            double lowest = perStream.Min();
            int limit = BatchSizes[Array.FindIndex(perStream, us => us <= lowest * 1.03)];
            timings = string.Join(", ", BatchSizes.Select((b, i) => string.Create(CultureInfo.InvariantCulture, $"{b}: {perStream[i]:F2}"))) + $" µs per stream; batch limit {limit}";
            record.Add(new JsonObject
            {
                ["family"] = m.Family, ["precision"] = m.Precision?.Name(), ["threads"] = m.Threads, ["batch_limit"] = limit,
                ["us_per_stream_step_p50"] = new JsonArray([.. BatchSizes.Select((b, i) => (JsonNode?)new JsonObject { ["batch"] = b, ["us"] = Math.Round(perStream[i], 3) })]),
            });
            return limit;
        }
        catch (EdgeException)
        {
            return null;   // the single-stream runs above already recorded why this package cannot run
        }
    }

    private static Run Time(string family, string model, string pkg, EdgeModelOptions options, string? precision, int threads,
        TimeSpan warmup, TimeSpan measure, Action<EdgeModel> loaded)
    {
        string backend = options.Backend?.Name ?? "cpu";
        try
        {
            using var m = EdgeModel.Load(pkg, options);
            loaded(m);
            return new Run(family, model, m.BackendName, precision, threads, StepTimer.MedianMicroseconds(m, warmup, measure), null);
        }
        catch (EdgeException e)
        {
            return new Run(family, model, backend, precision, threads, null, $"[{e.Code}] {MessageText.Line(e.Message)}");
        }
    }

    private static string Line(Run r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Family,-14} {r.Backend,-9} {r.Precision ?? "graph",-5} {r.Threads} thread{(r.Threads == 1 ? " " : "s")} {(r.UsPerStep is { } us ? $"{us,10:F2} µs/step" : "   skipped: " + r.Problem)}");

    private static double Round(double v) => Math.Round(v, 0);
}
