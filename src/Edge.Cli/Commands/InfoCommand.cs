using Edge.Backends;
using Edge.Cli.Arguments;
using Edge.Diagnostics;

namespace Edge.Cli.Commands;

/// <summary><c>edge info [--json]</c>: the machine and what can run on it.</summary>
internal static class InfoCommand
{
    public static int Run(string[] args, TextWriter stdout)
    {
        var a = ParsedArguments.Parse("info", args, [], ["--json"]);
        a.ExpectPositionals(0);
        var m = MachineInfo.Current();
        var backends = new[]
        {
            new BackendInfo("cpu", true, CpuBackend.Families, ["simd"]),
        };
        if (a.Flag("--json"))
        {
            stdout.WriteLine(JsonOutput.Serialize(new { machine = m, backends }));
            return 0;
        }
        stdout.WriteLine($"cpu        {m.Cpu}");
        stdout.WriteLine($"cores      {m.Cores}");
        stdout.WriteLine($"arch       {m.Architecture}, {m.VectorBits}-bit vectors, {string.Join(' ', m.Isa)}");
        stdout.WriteLine($"os         {m.Os}");
        stdout.WriteLine($"runtime    {m.Runtime}");
        foreach (var b in backends)
            stdout.WriteLine($"backend    {b.Name}: {(b.Available ? "available" : "not available")}; families {string.Join(", ", b.Families)}; {string.Join(", ", b.Providers)}");
        return 0;
    }

    private sealed record BackendInfo(string Name, bool Available, IReadOnlyList<string> Families, IReadOnlyList<string> Providers);
}
