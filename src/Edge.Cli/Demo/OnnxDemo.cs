using System.Globalization;
using Edge.Diagnostics;
using Edge.Formats.Npy;
using Edge.Onnx;
using Edge.Streams;

namespace Edge.Cli.Demo;

/// <summary>The ECG model's ONNX step graph through ONNX Runtime (CPU provider) next to the CPU backend.</summary>
internal static class OnnxDemo
{
    public static bool Run(TextWriter o)
    {
        var c = CultureInfo.InvariantCulture;
        string dir = DemoModels.Extract("gru-attention-ecg");
        using var cpu = EdgeModel.Load(dir);
        using var onnx = EdgeModel.Load(dir, new EdgeModelOptions { Backend = new OnnxBackend() });
        o.WriteLine($"gru-attention-ecg on ONNX Runtime ({onnx.BackendName}) against the CPU backend");
        var input = NpyFile.Read(Path.Combine(dir, "golden", "input.npy"));
        using var a = cpu.CreateStream();
        using var b = onnx.CreateStream();
        double err = DemoChecks.MaxAbs(DemoChecks.Replay(a, input), DemoChecks.Replay(b, input));
        bool ok = err <= 1e-4;
        o.WriteLine(string.Create(c, $"  parity         {input.Rows} steps, onnx vs cpu: max abs error {err:E1} {DemoChecks.Verdict(ok)}"));
        var rc = StepBenchmark.Run(cpu, 20_000);
        var ro = StepBenchmark.Run(onnx, 20_000);
        o.WriteLine(string.Create(c, $"  speed          cpu {rc.UsPerStepP50:F2} µs/step, onnx {ro.UsPerStepP50:F2} µs/step (p50): the CPU backend is {ro.UsPerStepP50 / rc.UsPerStepP50:F1}x faster; both allocate {Math.Max(rc.AllocBytesPerStep, ro.AllocBytesPerStep):F0} bytes per step"));
        return ok;
    }
}
