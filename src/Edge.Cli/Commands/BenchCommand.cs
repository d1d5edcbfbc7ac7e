using System.Globalization;
using Edge.Cli.Arguments;
using Edge.Diagnostics;
using Edge.Streams;

namespace Edge.Cli.Commands;

/// <summary>
/// <c>edge bench PKG [--steps N] [--warmup N] [--backend …] [--json]</c>, and with <c>--vs-transformer</c>
/// the constant-memory comparison (<see cref="VsTransformerBench"/>).
/// </summary>
internal static class BenchCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var a = ParsedArguments.Parse("bench", args, ["--steps", "--warmup", "--backend", "--ep", "--lengths", "--window", "--plot"], ["--json", "--vs-transformer"]);
        string pkg = a.Positional(0, "PKG (a model package folder or zip)");
        a.ExpectPositionals(1);
        if (a.Flag("--vs-transformer")) return VsTransformerBench.Run(pkg, a, stdout, stderr);
        foreach (var only in new[] { "--lengths", "--window", "--plot" })
        {
            if (a.Value(only) is not null) throw new UsageException($"bench: {only} goes with --vs-transformer.");
        }
        long steps = a.Long("--steps", 100_000, 1, 1_000_000_000);
        int warmup = (int)a.Long("--warmup", 2000, 0, 10_000_000);
        var backend = BackendChoice.From(a);
        bool json = a.Flag("--json");

        using var model = EdgeModel.Load(pkg, new EdgeModelOptions { Backend = backend });
        var bar = new ProgressBar(stderr, "bench", !json);
        var r = StepBenchmark.Run(model, steps, warmup, bar.Report);
        if (json)
        {
            stdout.WriteLine(JsonOutput.Serialize(r));
            return 0;
        }
        var c = CultureInfo.InvariantCulture;
        stdout.WriteLine($"model      {pkg} ({model.Family}, {r.Backend})");
        stdout.WriteLine($"machine    {r.Machine}");
        stdout.WriteLine(string.Create(c, $"steps      {r.Steps:N0}"));
        stdout.WriteLine(string.Create(c, $"µs/step    p50 {r.UsPerStepP50:F2}   p99 {r.UsPerStepP99:F2}"));
        stdout.WriteLine(string.Create(c, $"steps/s    {r.StepsPerSecond:N0}"));
        stdout.WriteLine(string.Create(c, $"alloc/step {r.AllocBytesPerStep:F3} bytes"));
        stdout.WriteLine(string.Create(c, $"RSS growth {r.RssGrowthBytes:N0} bytes"));
        stdout.WriteLine(string.Create(c, $"state      {r.StateBytes:N0} bytes per stream"));
        return 0;
    }
}
