using Edge.Cli.Arguments;
using Edge.Cli.Demo;
using Edge.Diagnostics;

namespace Edge.Cli.Commands;

/// <summary><c>edge demo</c>: the embedded default models, end to end, with their checks; exit 1 if a check fails.</summary>
internal static class DemoCommand
{
    public static int Run(string[] args, TextWriter stdout)
    {
        var a = ParsedArguments.Parse("demo", args);
        a.ExpectPositionals(0);
        stdout.WriteLine($"edge demo on {MachineInfo.Current().Summary}");
        stdout.WriteLine();
        bool ok = true;
        Func<TextWriter, bool>[] sections = [EcgDemo.Run, OnnxDemo.Run, ForecastDemo.Run, PdmDemo.Run, MonitorDemo.Run, GlaDemo.Run, TtsDemo.Run, CloneDemo.Run];
        foreach (var section in sections)
        {
            ok &= section(stdout);
            stdout.WriteLine();
        }
        stdout.WriteLine(ok ? "demo: all checks passed" : "demo: a check FAILED (see above)");
        return ok ? 0 : 1;
    }
}
