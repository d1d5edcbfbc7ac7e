using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Diagnostics;
using Edge.Streams;

namespace Edge.Cli.Commands;

/// <summary><c>edge bench --roofline</c>: the step against this machine's measured bandwidth and peak FLOP rate, as text or as a <c>roofline</c> key.</summary>
internal static class RooflineOutput
{
    /// <summary>Measures the limits for <paramref name="model"/>'s step on <paramref name="r"/>'s thread count; refused on a backend whose step does not say its cost.</summary>
    public static RooflineResult Measure(EdgeModel model, StepBenchmarkResult r, TextWriter stderr, bool json)
    {
        var cost = model.StepCost ?? throw new EdgeException(EdgeErrorCode.InvalidArgument,
            $"bench: --roofline needs the step's byte and FLOP counts, which the {model.BackendName} backend does not give; use --backend cpu.");
        if (!json) stderr.WriteLine("bench: measuring memory bandwidth and the peak FLOP rate for the roofline …");
        return Roofline.Measure(cost, r.StepsPerSecond, r.Threads);
    }

    /// <summary>The result serialized as <see cref="JsonOutput"/> does, with <paramref name="roofline"/> added under the key <c>roofline</c>.</summary>
    public static string Json<T>(T result, RooflineResult roofline)
    {
        var node = JsonSerializer.SerializeToNode(result, JsonOutput.Options)!.AsObject();
        node["roofline"] = JsonSerializer.SerializeToNode(roofline, JsonOutput.Options);
        return node.ToJsonString(JsonOutput.Options);
    }

    /// <summary>Four lines, each label padded to <paramref name="width"/>.</summary>
    public static void Print(RooflineResult r, TextWriter stdout, int width)
    {
        var c = CultureInfo.InvariantCulture;
        string Label(string s) => s.PadRight(width);
        string threads = r.Threads == 1 ? "1 thread" : $"{r.Threads} threads";
        string probe = r.ProbeBytes >= 1L << 30 ? "1 GiB" : r.ProbeBytes >= 1 << 20 ? $"{r.ProbeBytes / (double)(1 << 20):F0} MiB" : $"{r.ProbeBytes / 1024.0:F0} KiB";
        int cores = Environment.ProcessorCount;
        stdout.WriteLine(string.Create(c, $"{Label("per step")}{Size(r.WeightBytesPerStep)} of weights, {Size(r.StateBytesPerStep)} of state read and written, {Flops(r.FlopsPerStep)} (estimate: 2·rows·cols a product plus the elementwise work)"));
        stdout.WriteLine(string.Create(c, $"{Label("bandwidth")}{r.BandwidthBytesPerSecond / 1e9:F2} GB/s on {threads} (1 core {r.BandwidthOneCoreBytesPerSecond / 1e9:F2}, {cores} cores {r.BandwidthAllCoresBytesPerSecond / 1e9:F2}; best read pattern over {probe}, the step's working set or past the caches)"));
        stdout.WriteLine(string.Create(c, $"{Label("peak FLOPs")}{r.PeakFlopsPerSecond / 1e9:F1} GFLOP/s on {threads} (1 core {r.PeakFlopsOneCore / 1e9:F1}, {cores} cores {r.PeakFlopsAllCores / 1e9:F1}; float32 FMA chains in {PeakFlops.VectorBits}-bit registers)"));
        stdout.WriteLine(string.Create(c, $"{Label("reached")}{100 * r.BandwidthFraction:F1}% of the bandwidth ({r.BytesPerSecond / 1e9:F2} GB/s), {100 * r.FlopsFraction:F1}% of the peak FLOP rate ({r.FlopsPerSecond / 1e9:F2} GFLOP/s); the {r.Limit} bound is {Math.Min(r.BandwidthBoundStepsPerSecond, r.FlopsBoundStepsPerSecond):N1} steps/s"));
    }

    private static string Flops(long flops) => flops >= 1_000_000 ? string.Create(CultureInfo.InvariantCulture, $"{flops / 1e6:F1} MFLOP")
        : string.Create(CultureInfo.InvariantCulture, $"{flops / 1e3:F1} kFLOP");

    private static string Size(long bytes) => bytes >= 1_000_000 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:F1} MB")
        : bytes >= 1000 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e3:F1} kB") : $"{bytes} B";
}
