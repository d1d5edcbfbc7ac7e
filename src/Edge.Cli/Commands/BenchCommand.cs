using System.Globalization;
using Edge.Backends;
using Edge.Cli.Arguments;
using Edge.Diagnostics;
using Edge.Families.Gla;
using Edge.Packages;
using Edge.Streams;

namespace Edge.Cli.Commands;

/// <summary>
/// <c>edge bench PKG [--steps N] [--warmup N] [--backend …] [--ep …] [--profile F] [--compare] [--roofline] [--json]</c>, or
/// <c>edge bench --gla-release</c>, and with <c>--vs-transformer</c> the constant-memory comparison (<see cref="VsTransformerBench"/>).
/// </summary>
internal static class BenchCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var a = ParsedArguments.Parse("bench", args);
        if (a.Flag("--gla-release")) return GlaRelease(a, stdout, stderr);
        string pkg = a.Positional(0, "PKG (a model package folder or zip)");
        a.ExpectPositionals(1);
        if (a.Flag("--roofline") && (a.Flag("--vs-transformer") || a.Flag("--soak") || a.Flag("--compare") || a.Value("--batch") is not null))
            throw new UsageException("bench: --roofline goes with a plain bench or --gla-release, not --compare, --batch, --vs-transformer or --soak.");
        if (a.Flag("--vs-transformer")) return VsTransformerBench.Run(pkg, a, stdout, stderr);
        if (a.Flag("--soak")) return SoakBench.Run(pkg, a, stdout, stderr);
        foreach (var only in new[] { "--lengths", "--window", "--plot" })
        {
            if (a.Value(only) is not null) throw new UsageException($"bench: {only} goes with --vs-transformer.");
        }
        bool json = a.Flag("--json");
        if (a.Value("--batch") is not null) return Batch(a, pkg, json, stdout, stderr);
        long steps = a.Long("--steps", 100_000, 1, 1_000_000_000);
        int warmup = (int)a.Long("--warmup", 2000, 0, 10_000_000);
        if (a.Flag("--compare")) return Compare(a, pkg, steps, warmup, json, stdout, stderr);

        var backend = BackendChoice.From(a, stderr, pkg);
        bool roofline = a.Flag("--roofline");
        if (roofline && backend is not CpuBackend) throw new UsageException("bench: --roofline measures Edge's CPU kernels; drop --backend onnx.");
        using var model = EdgeModel.Load(pkg, BackendChoice.LoadOptions(backend, a, pkg));
        WarnIfDebug(stderr);
        var r = StepBenchmark.Run(model, steps, warmup, new ProgressBar(stderr, "bench", !json).Report);
        var limits = roofline ? RooflineOutput.Measure(model, r, stderr, json) : null;
        if (json)
        {
            stdout.WriteLine(limits is null ? JsonOutput.Serialize(r) : RooflineOutput.Json(r, limits));
            return 0;
        }
        var c = CultureInfo.InvariantCulture;
        WriteHeader(stdout, pkg, model, r.Backend, r.Threads, r.Machine);
        stdout.WriteLine(string.Create(c, $"steps      {r.Steps:N0}"));
        stdout.WriteLine(string.Create(c, $"µs/step    p50 {r.UsPerStepP50:F2}   p99 {r.UsPerStepP99:F2}"));
        stdout.WriteLine(string.Create(c, $"steps/s    {r.StepsPerSecond:N0}"));
        stdout.WriteLine(string.Create(c, $"alloc/step {r.AllocBytesPerStep:F3} bytes"));
        stdout.WriteLine(string.Create(c, $"RSS growth {r.RssGrowthBytes:N0} bytes"));
        stdout.WriteLine(string.Create(c, $"state      {r.StateBytes:N0} bytes per stream"));
        if (limits is not null) RooflineOutput.Print(limits, stdout, 11);
        return 0;
    }

    private static void WriteHeader(TextWriter stdout, string pkg, EdgeModel model, string backend, int threads, string machine)
    {
        stdout.WriteLine($"model      {pkg} ({model.Family}, {backend}{(model.Precision is { } p ? $", {p.Name()} weights" : "")}, {threads} thread{(threads == 1 ? "" : "s")})");
        stdout.WriteLine($"machine    {machine}");
    }

    /// <summary>Once arguments and package are valid, just before timing: one line when the timings would mislead.</summary>
    internal static void WarnIfDebug(TextWriter stderr)
    {
        if (BuildCheck.TimingWarning() is { } warning) stderr.WriteLine(warning);
    }

    private static int GlaRelease(ParsedArguments a, TextWriter stdout, TextWriter stderr)
    {
        a.ExpectPositionals(0);
        int steps = (int)a.Long("--steps", 100, 1, 100_000);
        int warmup = (int)a.Long("--warmup", 10, 0, 100_000);
        bool json = a.Flag("--json");
        if (a.Value("--backend") is not null || a.Value("--ep") is not null)
            throw new UsageException("bench: --gla-release runs Edge's CPU kernels only; drop --backend and --ep.");
        var cpu = BackendChoice.CpuOptions(a, "gla-tts");   // --precision and --threads, else --profile's for gla-tts
        var precision = cpu.Precision ?? WeightPrecision.Fp32;
        int? asked = cpu.Threads;
        WarnIfDebug(stderr);
        if (a.Value("--batch") is not null) return GlaReleaseBatch(a, steps, json, precision, asked, stdout, stderr);
        var r = GlaReleaseBenchmark.Run(steps, warmup, json ? null : m => stderr.WriteLine($"bench: {m}"), precision, asked, a.Flag("--roofline"));
        if (json)
        {
            stdout.WriteLine(JsonOutput.Serialize(r));
            return 0;
        }
        var c = CultureInfo.InvariantCulture;
        stdout.WriteLine("model        gla-tts at release size, random weights (d_model 1024, heads 2, 6+6 GLA blocks, expand_k 1, expand_v 2, short conv, 4096 codes)");
        stdout.WriteLine($"machine      {r.Machine}");
        stdout.WriteLine(string.Create(c, $"parameters   {r.Parameters / 1e6:F1} M; weights read per token {r.WeightBytesPerToken / 1e6:F1} MB ({r.Precision}); state {r.StateBytes / 1e6:F1} MB"));
        string threads = r.Threads == 1 ? "1 thread" : $"{r.Threads} threads";
        stdout.WriteLine(string.Create(c, $"decoder      {r.TokensPerSecond:F2} tokens/s (p50 {r.MsPerTokenP50:F1} ms/token, {r.Steps} steps, text {r.TextTokens} tokens, {threads}; {r.CpuMsPerToken:F1} ms of CPU per token)"));
        if (r.Threads > 1)
            stdout.WriteLine(string.Create(c, $"1 thread     {r.OneThreadTokensPerSecond:F2} tokens/s, the same steps in blocks alternating with those on {r.Threads}: {r.Threads} threads are {r.ThreadsSpeedup:F2}× as fast"));
        stdout.WriteLine(string.Create(c, $"fastest step {r.BestTokensPerSecond:F2} tokens/s = {r.BestRooflinePercent:F0}% of the roofline (least interference from other work)"));
        stdout.WriteLine(string.Create(c, $"real time    RTF {r.RealTimeFactor:F2} at 75 tokens/s ({1 / r.RealTimeFactor:F2}× real time)"));
        stdout.WriteLine(string.Create(c, $"alloc/step   {r.AllocBytesPerStep:F1} bytes"));
        stdout.WriteLine(string.Create(c, $"bandwidth    {r.BandwidthGigabytesPerSecond:F2} GB/s on 1 thread, {r.BandwidthAllCoresGigabytesPerSecond:F2} GB/s on {Environment.ProcessorCount} (streaming read of a step's bytes, best of 1, 4, 8 and 16 streams a thread, 3 passes each, and one more pass after each block of steps)"));
        stdout.WriteLine(string.Create(c, $"roofline     {r.RooflineTokensPerSecond:F2} tokens/s = bandwidth on {threads} ({r.RooflineBandwidthGigabytesPerSecond:F2} GB/s) / weight bytes; measured {r.RooflinePercent:F0}% of it"));
        stdout.WriteLine(string.Create(c, $"  +state     {r.RooflineWithStateTokensPerSecond:F2} tokens/s counting the state read and written; measured {r.RooflineWithStatePercent:F0}% of it"));
        if (r.Roofline is not null) RooflineOutput.Print(r.Roofline, stdout, 13);
        stdout.WriteLine(string.Create(c, $"load avg     {r.LoadAverage:F2} (other work on the machine lowers every figure above)"));
        return 0;
    }

    // B streams as one StreamBatch against one stream alone, in alternating blocks of one run.
    private static int Batch(ParsedArguments a, string pkg, bool json, TextWriter stdout, TextWriter stderr)
    {
        if (a.Flag("--compare")) throw new UsageException("bench: --batch times one backend; drop --compare (run it once with --backend cpu and once with --backend onnx).");
        int batch = (int)a.Long("--batch", 1, 1, StreamBatch.MaxCapacity);
        long steps = a.Long("--steps", Math.Max(1000, 100_000 / batch), 10, 1_000_000_000);
        int warmup = (int)a.Long("--warmup", 2000, 0, 10_000_000);
        var backend = BackendChoice.From(a, stderr);
        using var model = EdgeModel.Load(pkg, BackendChoice.LoadOptions(backend, a));
        WarnIfDebug(stderr);
        var r = BatchBenchmark.Run(model, batch, steps, warmup, new ProgressBar(stderr, "bench", !json).Report);
        if (json)
        {
            stdout.WriteLine(JsonOutput.Serialize(r));
            return 0;
        }
        var c = CultureInfo.InvariantCulture;
        WriteHeader(stdout, pkg, model, r.Backend, r.Threads, r.Machine);
        stdout.WriteLine(string.Create(c, $"batch      {r.Batch} streams, {(!r.Batched ? "stepped one after another (this family or backend has no batched step)" : r.StreamsPerBatchedStep < r.Batch ? $"stepped together in batched steps of at most {r.StreamsPerBatchedStep} (the profile's batch_limit; each weight read once a batched step)" : "stepped together (each weight read once a step)")}"));
        stdout.WriteLine(string.Create(c, $"steps      {r.Steps:N0} batch steps, and as many of one stream alone, in {10} alternating blocks"));
        stdout.WriteLine(string.Create(c, $"µs/step    p50 {r.UsPerStepP50:F2}   p99 {r.UsPerStepP99:F2}   (one batch step)"));
        stdout.WriteLine(string.Create(c, $"per stream {r.UsPerStreamStepP50:F3} µs/step p50, {r.StreamStepsPerSecond:N0} stream steps/s"));
        stdout.WriteLine(string.Create(c, $"batch 1    {r.Batch1UsPerStepP50:F3} µs/step p50, {r.Batch1StepsPerSecond:N0} steps/s"));
        stdout.WriteLine(string.Create(c, $"ratio      a stream costs {r.PerStreamCostVsBatch1:F3} of batch 1 (1/{1 / r.PerStreamCostVsBatch1:F1}); {r.BatchSpeedup:F2}× the steps/s"));
        stdout.WriteLine(string.Create(c, $"alloc/step {r.AllocBytesPerStep:F3} bytes"));
        stdout.WriteLine(string.Create(c, $"RSS growth {r.RssGrowthBytes:N0} bytes"));
        stdout.WriteLine(string.Create(c, $"state      {r.StateBytes:N0} bytes per stream"));
        return 0;
    }

    // --gla-release --batch B: B streams stepped together against one alone, in alternating blocks (GlaReleaseBatchBenchmark).
    private static int GlaReleaseBatch(ParsedArguments a, int steps, bool json, WeightPrecision precision, int? threads, TextWriter stdout, TextWriter stderr)
    {
        int batch = (int)a.Long("--batch", 8, 1, Edge.Streams.StreamBatch.MaxCapacity);
        int warmup = (int)a.Long("--warmup", 3, 0, 100_000);
        var r = GlaReleaseBatchBenchmark.Run(batch, steps, warmup, json ? null : m => stderr.WriteLine($"bench: {m}"), precision, threads);
        if (json)
        {
            stdout.WriteLine(JsonOutput.Serialize(r));
            return 0;
        }
        var c = CultureInfo.InvariantCulture;
        string on = r.Threads == 1 ? "1 thread" : $"{r.Threads} threads";
        stdout.WriteLine("model        gla-tts at release size, random weights (d_model 1024, heads 2, 6+6 GLA blocks, expand_k 1, expand_v 2, short conv, 4096 codes)");
        stdout.WriteLine($"machine      {r.Machine}");
        stdout.WriteLine(string.Create(c, $"batch {r.Batch,-6} {r.TokensPerSecond:F2} tokens/s in all (p50 {r.UsPerStepP50 / 1000:F1} ms a batch step, {r.UsPerStreamStepP50 / 1000:F2} ms a stream step; {r.Steps} steps, {r.Precision}, {on}; {r.CpuMsPerStep:F1} ms of CPU a step)"));
        stdout.WriteLine(string.Create(c, $"batch 1      {r.Batch1TokensPerSecond:F2} tokens/s (p50 {r.Batch1UsPerStepP50 / 1000:F1} ms a step, in blocks alternating with the batch; {r.Batch1CpuMsPerStep:F1} ms of CPU a step)"));
        stdout.WriteLine(string.Create(c, $"speed-up     {r.BatchSpeedup:F2}× the aggregate of batch 1; the bytes bound {r.BoundSpeedup:F2}×, reached {r.BoundPercent:F0}%"));
        stdout.WriteLine(string.Create(c, $"bytes        a batch step reads the weights once and {r.Batch} states: {r.WeightBytesPerStep / 1e6:F1} MB + {r.Batch} × 2 × {r.StateBytes / 1e6:F1} MB = {r.BytesPerBatchStep / 1e6:F1} MB ({r.BatchGigabytesPerSecond:F2} GB/s); batch 1 {r.Batch1BytesPerStep / 1e6:F1} MB ({r.Batch1GigabytesPerSecond:F2} GB/s)"));
        stdout.WriteLine(string.Create(c, $"bandwidth    {r.BandwidthGigabytesPerSecond:F2} GB/s streaming read on {on}"));
        stdout.WriteLine(string.Create(c, $"alloc/step   {r.AllocBytesPerStep:F1} bytes"));
        stdout.WriteLine(string.Create(c, $"load avg     {r.LoadAverage:F2} (other work on the machine lowers every figure above)"));
        return 0;
    }

    // The CPU and ONNX backends on the same package, one after the other in this process, and their ratio.
    private static int Compare(ParsedArguments a, string pkg, long steps, int warmup, bool json, TextWriter stdout, TextWriter stderr)
    {
        if (a.Value("--backend") is not null) throw new UsageException("bench: --compare runs both the cpu and the onnx backend; drop --backend (--ep and --profile choose the ONNX side).");
        var onnx = BackendChoice.Onnx(a, stderr);
        using (EdgeModel.Load(pkg)) { }   // a broken package is its one-line error before any warning or work
        WarnIfDebug(stderr);
        var cpu = Measure(pkg, BackendChoice.LoadOptions(CpuBackend.Instance, a, pkg), steps, warmup, json, stderr, out string family);
        var other = Measure(pkg, BackendChoice.LoadOptions(onnx), steps, warmup, json, stderr, out _);
        var ratio = new BenchRatio(other.UsPerStepP50 / cpu.UsPerStepP50, other.UsPerStepP99 / cpu.UsPerStepP99, other.StepsPerSecond / cpu.StepsPerSecond);
        if (json)
        {
            stdout.WriteLine(JsonOutput.Serialize(new BenchComparison(pkg, family, cpu.Machine, steps, cpu, other, ratio)));
            return 0;
        }
        var c = CultureInfo.InvariantCulture;
        stdout.WriteLine($"model      {pkg} ({family})");
        stdout.WriteLine($"machine    {cpu.Machine}");
        stdout.WriteLine(string.Create(c, $"steps      {steps:N0} per backend, after {warmup:N0} warm-up steps, one process"));
        stdout.WriteLine();
        stdout.WriteLine("backend     µs/step p50   µs/step p99      steps/s   alloc B/step   RSS growth B");
        foreach (var r in new[] { cpu, other })
            stdout.WriteLine(string.Create(c, $"{r.Backend,-10} {r.UsPerStepP50,12:F2} {r.UsPerStepP99,13:F2} {r.StepsPerSecond,12:N0} {r.AllocBytesPerStep,14:F3} {r.RssGrowthBytes,14:N0}"));
        stdout.WriteLine(string.Create(c, $"{"onnx/cpu",-10} {ratio.UsPerStepP50,11:F2}x {ratio.UsPerStepP99,12:F2}x {ratio.StepsPerSecond,11:F2}x"));
        return 0;
    }

    private static StepBenchmarkResult Measure(string pkg, EdgeModelOptions options, long steps, int warmup, bool json, TextWriter stderr, out string family)
    {
        using var model = EdgeModel.Load(pkg, options);
        family = model.Family;
        return StepBenchmark.Run(model, steps, warmup, new ProgressBar(stderr, $"bench {options.Backend!.Name}", !json).Report);
    }

    /// <summary><c>--compare --json</c>: both results and the ratio ONNX over CPU (above 1: ONNX takes longer per step).</summary>
    private sealed record BenchComparison(string Model, string Family, string Machine, long Steps, StepBenchmarkResult Cpu, StepBenchmarkResult Onnx, BenchRatio Ratio);

    /// <summary>ONNX divided by CPU, for per-step latency and for throughput.</summary>
    private sealed record BenchRatio(double UsPerStepP50, double UsPerStepP99, double StepsPerSecond);
}
