using Edge.Cli.Arguments;
using Edge.Diagnostics;
using Edge.Families;
using Edge.Onnx;
using Edge.Onnx.Providers;

namespace Edge.Cli.Commands;

/// <summary><c>edge info [--json]</c>: the machine and what can run on it.</summary>
internal static class InfoCommand
{
    public static int Run(string[] args, TextWriter stdout)
    {
        var a = ParsedArguments.Parse("info", args);
        a.ExpectPositionals(0);
        var m = MachineInfo.Current();
        var ort = OnnxRuntimeInfo.Read();
        string[] builtIn = [.. BuiltInFamilies.All.Select(f => f.Name)];
        var backends = new[]
        {
            new BackendInfo("cpu", true, builtIn, ["simd"], null),
            new BackendInfo("onnx", ort.Error is null, [.. builtIn, .. new OnnxBackend().Families.Select(f => f.Name)], ort.Providers, ort.Error),
        };
        if (a.Flag("--json"))
        {
            stdout.WriteLine(JsonOutput.Serialize(new { machine = m, backends, onnx_runtime = ort }));
            return 0;
        }
        stdout.WriteLine($"cpu        {m.Cpu}");
        stdout.WriteLine($"cores      {m.Cores}");
        stdout.WriteLine($"arch       {m.Architecture}, {m.VectorBits}-bit vectors, {string.Join(' ', m.Isa)}");
        stdout.WriteLine($"os         {m.Os}");
        stdout.WriteLine($"runtime    {m.Runtime}");
        stdout.WriteLine(ort.Error is null
            ? $"onnx       ONNX Runtime {ort.Version} ({ort.Package} package); execution providers {string.Join(", ", ort.Providers)}"
            : $"onnx       not available: {ort.Error}");
        foreach (var b in backends)
            stdout.WriteLine($"backend    {b.Name}: {(b.Available ? "available" : "not available")}; families {string.Join(", ", b.Families)}; {string.Join(", ", b.Providers)}");
        return 0;
    }

    private sealed record BackendInfo(string Name, bool Available, IReadOnlyList<string> Families, IReadOnlyList<string> Providers, string? Error);

    /// <summary>The loaded ONNX Runtime: version, which package this build uses (cpu, cuda, dml) and the execution providers it offers.</summary>
    private sealed record OnnxRuntimeInfo(string? Version, string Package, IReadOnlyList<string> Providers, string? Error)
    {
        public static OnnxRuntimeInfo Read()
        {
            try
            {
                return new OnnxRuntimeInfo(ExecutionProviders.OrtVersion(), ExecutionProviders.BuildFlavour, ExecutionProviders.Available(), null);
            }
            catch (EdgeException e)
            {
                return new OnnxRuntimeInfo(null, ExecutionProviders.BuildFlavour, [], e.Message);
            }
        }
    }
}
