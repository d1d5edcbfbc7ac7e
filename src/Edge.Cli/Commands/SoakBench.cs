using System.Globalization;
using Edge.Cli.Arguments;
using Edge.Diagnostics;
using Edge.Streams;

namespace Edge.Cli.Commands;

/// <summary>
/// <c>edge bench PKG --soak [--steps N] [--json]</c>: one stream stepped N times (10 million by default) over
/// adversarial inputs (<see cref="SoakPattern"/>); says whether every output and state value stayed finite,
/// how large the state grew per phase, and whether resident memory stayed flat. Exit 1 when something went non-finite.
/// </summary>
internal static class SoakBench
{
    public static int Run(string pkg, ParsedArguments a, TextWriter stdout, TextWriter stderr)
    {
        if (a.Value("--warmup") is not null) throw new UsageException("bench: --warmup does not apply to --soak (it warms up 2,000 steps itself).");
        long steps = a.Long("--steps", 10_000_000, Enum.GetValues<SoakPattern>().Length, 10_000_000_000);
        bool json = a.Flag("--json");
        var backend = BackendChoice.From(a, stderr, pkg);
        using var model = EdgeModel.Load(pkg, BackendChoice.LoadOptions(backend, a, pkg));
        var r = SoakBenchmark.Run(model, steps, new ProgressBar(stderr, "soak", !json).Report);
        if (json)
        {
            stdout.WriteLine(JsonOutput.Serialize(r));
            return r.Finite ? 0 : 1;
        }
        var c = CultureInfo.InvariantCulture;
        stdout.WriteLine($"model      {pkg} ({model.Family}, {r.Backend})");
        stdout.WriteLine($"machine    {r.Machine}");
        stdout.WriteLine(string.Create(c, $"steps      {r.Steps:N0} on one stream, no reset between phases"));
        stdout.WriteLine();
        // One column per state entry: its largest |value| in the phase (and at the phase's end, when lower).
        // A wide state (gla-tts has dozens of entries) shows the six that grew largest; --json has them all.
        const int Columns = 6;
        var all = model.State.Entries.Select(e => e.Name).ToArray();
        var names = all.Length <= Columns ? all
            : [.. all.OrderByDescending(n => r.Phases.Max(p => p.MaxAbsState[n])).Take(Columns).Order(StringComparer.Ordinal)];
        if (names.Length < all.Length) stdout.WriteLine($"state      the {Columns} of {all.Length} entries that grew largest (--json lists all)");
        stdout.WriteLine($"phase               steps  non-finite  max |out|  {string.Join("  ", names.Select(n => $"|{n}|".PadLeft(19)))}  steps/s");
        foreach (var p in r.Phases)
        {
            var cells = names.Select(n => Cell(p.MaxAbsState[n], p.EndAbsState[n], c).PadLeft(19));
            stdout.WriteLine(string.Create(c,
                $"{p.Pattern,-16} {p.Steps,9:N0} {p.NonFiniteOutputs,11:N0} {p.MaxAbsOutput,10:G4}  {string.Join("  ", cells)}  {p.StepsPerSecond,7:N0}"));
            if (p.InvalidState is not null) stdout.WriteLine($"                state went bad: {p.InvalidState}");
        }
        stdout.WriteLine();
        stdout.WriteLine(string.Create(c, $"finite     {(r.Finite ? "yes: every output and state value" : "NO")}"));
        stdout.WriteLine(string.Create(c, $"memory     RSS {r.RssStartBytes / 1048576.0:F1} MiB at start, {r.RssEndBytes / 1048576.0:F1} MiB at end; {r.AllocBytesPerStep:F3} bytes allocated per step; GC gen0 {r.Gen0Collections}, gen2 {r.Gen2Collections}"));
        return r.Finite ? 0 : 1;
    }

    private static string Cell(double max, double end, CultureInfo c) =>
        end < 0.999 * max ? string.Create(c, $"{max:G4} (end {end:G3})") : max.ToString("G4", c);
}
