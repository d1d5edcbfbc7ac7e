using Edge.Streams;

namespace Edge.Onnx.Tests;

/// <summary>The cae family's step graph (models/laser-detector/step.onnx) on the ONNX backend: the same scores, flags and state as the CPU backend.</summary>
public sealed class CaeOnnxTests
{
    private static readonly string Package = Path.Combine("models", "laser-detector");

    [Fact]
    public void Onnx_scores_flags_and_state_agree_with_cpu_on_the_golden_run_within_1e4()
    {
        var golden = Golden.Load(Package);
        using var cpu = EdgeModel.Load(Repo.Full(Package));
        using var onnx = EdgeModel.Load(Repo.Full(Package), new EdgeModelOptions { Backend = TestBackends.Onnx() });
        Assert.StartsWith("onnx:", onnx.BackendName);
        Assert.Equal(cpu.State.Entries.Select(e => e.Name), onnx.State.Entries.Select(e => e.Name));

        using var cpuStream = cpu.CreateStream();
        using var onnxStream = onnx.CreateStream();
        var cpuOut = golden.Run(cpu, cpuStream);
        var onnxOut = golden.Run(onnx, onnxStream);
        int steps = golden.Input.Rows, flags = 0;
        double worst = 0;
        for (int t = 0; t < steps; t++)
        {
            worst = Math.Max(worst, Math.Abs(cpuOut[2 * t] - onnxOut[2 * t]));
            Assert.Equal(cpuOut[2 * t + 1], onnxOut[2 * t + 1]);
            flags += (int)cpuOut[2 * t + 1];
        }
        Assert.True(worst <= 1e-4, $"onnx and cpu scores differ by {worst:E2}");
        Assert.True(flags > 0 && flags < steps - 63, $"{flags} flags: the golden run should cross the threshold");
        Close.All(cpuStream.Snapshot().ToFloat32(), onnxStream.Snapshot().ToFloat32(), 1e-4f, 1e-4f, "onnx vs cpu final state");
    }

    [Fact]
    public void A_state_saved_by_the_onnx_backend_resumes_on_the_cpu_backend()
    {
        var golden = Golden.Load(Package);
        using var cpu = EdgeModel.Load(Repo.Full(Package));
        using var onnx = EdgeModel.Load(Repo.Full(Package), new EdgeModelOptions { Backend = TestBackends.Onnx() });
        int steps = golden.Input.Rows, half = 100;
        var serial = golden.Run(cpu);

        using var tmp = new TempFolder();
        string file = tmp.File("detector.state");
        var y = new float[2];
        using (var first = onnx.CreateStream())
        {
            for (int t = 0; t < half; t++) first.Step(golden.Input.Row(t), y);
            first.SaveState(file);
        }
        using var second = cpu.CreateStream();
        second.LoadState(file);
        double worst = 0;
        for (int t = half; t < steps; t++)
        {
            second.Step(golden.Input.Row(t), y);
            worst = Math.Max(worst, Math.Abs(y[0] - serial[2 * t]));
        }
        Assert.True(worst <= 1e-4, $"resumed scores differ from one CPU run by {worst:E2}");
    }
}
