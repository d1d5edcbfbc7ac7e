using Edge.Onnx.Sessions;
using Edge.Streams;

namespace Edge.Onnx.Tests;

/// <summary>
/// The ONNX backend's state behaves like the CPU backend's: chunked runs through state files equal serial
/// runs, snapshots restore, and a state saved by one backend continues on the other.
/// </summary>
public sealed class StateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edge-onnx-state").FullName;

    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (var p in Repo.StepGraphPackages().Append(Path.Combine("models", "lstm-stateful")))
        {
            data.Add(p, false);
            data.Add(p, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Chunked_through_state_files_equals_serial_bit_for_bit(string package, bool deviceState)
    {
        var golden = Golden.Load(package);
        using var model = EdgeModel.Load(Repo.Full(package), new EdgeModelOptions { Backend = TestBackends.Onnx(deviceState) });
        Assert.Equal(deviceState || TestBackends.Provider != Providers.ExecutionProvider.Cpu, StepModelOf(model).StateOnDevice);
        var serial = golden.Run(model);

        int o = model.OutputSize, rows = golden.Input.Rows;
        var chunked = new float[serial.Length];
        string file = Path.Combine(_dir, $"{Path.GetFileName(package)}-{deviceState}.safetensors");
        int start = 0;
        foreach (int end in new[] { 7, 8, 23, rows })
        {
            using var stream = model.CreateStream();
            golden.Condition(stream);   // gla-tts: the text is not part of the state; set it on every stream
            if (start > 0) stream.LoadState(file);
            Assert.Equal(start, stream.StepCount);
            for (int t = start; t < end; t++) stream.Step(golden.Input.Row(t), chunked.AsSpan(t * o, o));
            stream.SaveState(file);
            start = end;
        }
        Assert.Equal(serial, chunked);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Snapshot_restore_and_fork_continue_exactly(string package, bool deviceState)
    {
        var golden = Golden.Load(package);
        using var model = EdgeModel.Load(Repo.Full(package), new EdgeModelOptions { Backend = TestBackends.Onnx(deviceState) });
        int o = model.OutputSize;
        using var stream = model.CreateStream();
        golden.Condition(stream);
        var scratch = new float[o];
        for (int t = 0; t < 10; t++) stream.Step(golden.Input.Row(t), scratch);
        var snap = stream.Snapshot();
        using var fork = stream.Fork();
        golden.Condition(fork);

        var a = new float[o * 10];
        var b = new float[o * 10];
        var c = new float[o * 10];
        for (int t = 10; t < 20; t++) stream.Step(golden.Input.Row(t), a.AsSpan((t - 10) * o, o));
        for (int t = 10; t < 20; t++) fork.Step(golden.Input.Row(t), b.AsSpan((t - 10) * o, o));
        stream.Restore(snap);
        for (int t = 10; t < 20; t++) stream.Step(golden.Input.Row(t), c.AsSpan((t - 10) * o, o));
        Assert.Equal(a, b);
        Assert.Equal(a, c);
    }

    [Theory]
    [MemberData(nameof(ParityTests.Packages), MemberType = typeof(ParityTests))]
    public void A_state_saved_on_the_cpu_backend_continues_on_the_onnx_backend(string package)
    {
        var golden = Golden.Load(package);
        using var cpu = EdgeModel.Load(Repo.Full(package));
        using var onnx = EdgeModel.Load(Repo.Full(package), new EdgeModelOptions { Backend = TestBackends.Onnx() });
        int o = cpu.OutputSize, half = golden.Input.Rows / 2;
        var serial = golden.Run(cpu);

        var mixed = new float[serial.Length];
        string file = Path.Combine(_dir, Path.GetFileName(package) + "-cpu.safetensors");
        using (var s = cpu.CreateStream())
        {
            golden.Condition(s);
            for (int t = 0; t < half; t++) s.Step(golden.Input.Row(t), mixed.AsSpan(t * o, o));
            s.SaveState(file);
        }
        using (var s = onnx.CreateStream())
        {
            golden.Condition(s);
            s.LoadState(file);
            for (int t = half; t < golden.Input.Rows; t++) s.Step(golden.Input.Row(t), mixed.AsSpan(t * o, o));
        }
        Close.All(serial, mixed, ParityTests.OutputTolerance(package), ParityTests.Tolerance, $"{package}: cpu then onnx vs cpu throughout");
    }

    [Fact]
    public void Device_state_gives_the_same_outputs_as_host_state()
    {
        string package = Repo.GruW3;
        var golden = Golden.Load(package);
        using var host = EdgeModel.Load(Repo.Full(package), new EdgeModelOptions { Backend = TestBackends.Onnx() });
        using var device = EdgeModel.Load(Repo.Full(package), new EdgeModelOptions { Backend = TestBackends.Onnx(forceDeviceState: true) });
        Assert.Equal(golden.Run(host), golden.Run(device));
    }

    /// <summary>The generic step model, also under a gla-tts model (which wraps one).</summary>
    internal static OnnxStepModel StepModelOf(EdgeModel model) => model.StepModel switch
    {
        OnnxStepModel m => m,
        var other => throw new InvalidOperationException($"not an ONNX step model: {other.GetType().Name}"),
    };

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
