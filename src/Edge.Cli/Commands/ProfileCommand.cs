using System.Globalization;
using System.Text;
using Edge.Cli.Arguments;
using Edge.Formats;
using Edge.Onnx.Providers;
using Edge.Packages;

namespace Edge.Cli.Commands;

/// <summary><c>edge profile detect -o FILE [--name NAME] [--quick]</c>: measures this machine and writes a device profile with the fastest settings (<see cref="ProfileDetect"/>).</summary>
internal static class ProfileCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var a = ParsedArguments.Parse("profile", args);
        string output = a.Required("--output");   // the action is 'detect' and the file's folder exists: checked as parsed
        string name = a.Value("--name") ?? Path.GetFileNameWithoutExtension(output);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var profile = ProfileDetect.Detect(name, a.Flag("--quick"), line => stderr.WriteLine($"profile: {line}"));
        string json = profile.ToJson();
        DeviceProfile.Parse(json, output);   // what is written loads back
        AtomicFile.Write(output, Encoding.UTF8.GetBytes(json));
        var c = CultureInfo.InvariantCulture;
        stdout.WriteLine(string.Create(c, $"wrote {output} ({started.Elapsed.TotalSeconds:F1} s): backends {string.Join(", ", profile.Backends)}"));
        foreach (var (family, s) in profile.Families.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            string settings = s.Backend == "cpu" ? $"cpu, {s.Precision?.Name() ?? "stored"} weights, {s.Threads} thread{(s.Threads == 1 ? "" : "s")}" : "onnx";
            stdout.WriteLine($"  {family,-14} {settings}; {(s.BatchLimit is { } limit ? $"batch limit {limit}" : "no batch limit")}");
        }
        stdout.WriteLine($"use it with --profile {output} on run, bench, forecast, pdm, tts and clone; explicit --backend, --precision and --threads still win.");
        return 0;
    }
}
