using System.Globalization;
using Edge.Cli.Arguments;
using Edge.Cli.Plots;
using Edge.Diagnostics;
using Edge.Streams;

namespace Edge.Cli.Commands;

/// <summary>
/// <c>edge bench PKG --vs-transformer [--lengths 1000,10000,100000] [--window N] [--warmup S] [--plot OUT.png] [--json]</c>:
/// the aaren model against a KV-cache Transformer of the same sizes, µs per step (median and mean over a
/// window) and bytes held at each length.
/// </summary>
internal static class VsTransformerBench
{
    public static int Run(string pkg, ParsedArguments a, TextWriter stdout, TextWriter stderr)
    {
        if (a.Value("--steps") is not null) throw new UsageException("bench: --steps does not apply to --vs-transformer; give the lengths with --lengths.");
        double warmup = Seconds(a.Value("--warmup"));
        var lengths = Lengths(a.Value("--lengths"));
        int window = (int)a.Long("--window", 1000, 1, 1_000_000);
        string? plot = a.OutputPath("--plot");
        if (plot is not null && !plot.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            throw new UsageException($"bench: --plot writes a PNG; name a file ending in .png, got '{plot}'.");
        var backend = BackendChoice.From(a, stderr, pkg);
        bool json = a.Flag("--json");

        using var model = EdgeModel.Load(pkg, BackendChoice.LoadOptions(backend, a, pkg));
        var bar = new ProgressBar(stderr, "bench", !json);
        var r = ConstantMemoryBenchmark.Run(model, lengths, window, warmup, progress: (label, p) => bar.Report(label == "aaren" ? p * 0.05 : 0.05 + p * 0.95));
        BenchCommand.WarnIfDebug(stderr);   // after the run: the benchmark validates the model itself, and measures allocation
        if (plot is not null) ConstantMemoryPlot.Save(r, plot);
        if (json)
        {
            stdout.WriteLine(JsonOutput.Serialize(r));
            return 0;
        }
        var c = CultureInfo.InvariantCulture;
        stdout.WriteLine($"model      {pkg} (aaren, {r.Sizes})");
        stdout.WriteLine($"machine    {r.Machine}");
        stdout.WriteLine(string.Create(c, $"µs/step    median (mean) over the {r.Window:N0} steps before each length"));
        stdout.WriteLine();
        stdout.WriteLine("     steps │ aaren µs/step (mean)  state bytes │ transformer µs/step (mean)   cache bytes");
        stdout.WriteLine("───────────┼───────────────────────────────────┼──────────────────────────────────────────");
        foreach (var row in r.Rows)
        {
            stdout.WriteLine(string.Create(c,
                $"{row.Steps,10:N0} │ {row.AarenUsPerStep,9:F2} {"(" + row.AarenUsPerStepMean.ToString("F2", c) + ")",10} {row.AarenStateBytes,12:N0} │ {row.TransformerUsPerStep,15:F2} {"(" + row.TransformerUsPerStepMean.ToString("F2", c) + ")",10} {row.TransformerCacheBytes,13:N0}"));
        }
        stdout.WriteLine();
        stdout.WriteLine(string.Create(c, $"alloc/step aaren {r.AarenAllocBytesPerStep:F3} bytes, transformer {r.TransformerAllocBytesPerStep:F3} bytes (cache reserved up front)"));
        stdout.WriteLine(string.Create(c, $"total      aaren {r.AarenSeconds:F2} s, transformer {r.TransformerSeconds:F2} s for {r.Rows[^1].Steps:N0} steps"));
        if (plot is not null) stdout.WriteLine($"plot       {plot}");
        return 0;
    }

    private static double Seconds(string? text)
    {
        if (text is null) return 3;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double s) || !(s >= 0 && s <= 600))
            throw new UsageException($"bench: with --vs-transformer, --warmup is seconds of warm-up per model (0 to 600), got '{text}'.");
        return s;
    }

    private static IReadOnlyList<int> Lengths(string? text)
    {
        if (text is null) return ConstantMemoryBenchmark.DefaultLengths;
        var lengths = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part.Replace("_", ""), NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1 || n > 50_000_000)
                throw new UsageException($"bench: --lengths takes step counts between 1 and 50,000,000 separated by commas, got '{part}'.");
            lengths.Add(n);
        }
        if (lengths.Count == 0) throw new UsageException("bench: --lengths is empty; give e.g. 1000,10000,100000.");
        for (int i = 1; i < lengths.Count; i++)
        {
            if (lengths[i] <= lengths[i - 1]) throw new UsageException($"bench: --lengths must ascend, got {lengths[i - 1]} then {lengths[i]}.");
        }
        return lengths;
    }
}
