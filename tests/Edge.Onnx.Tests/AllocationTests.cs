using Edge.Diagnostics;
using Edge.Streams;

namespace Edge.Onnx.Tests;

/// <summary>A step on the ONNX backend allocates nothing: frames and state are bound once, the two state sets swap.</summary>
public sealed class AllocationTests
{
    public static TheoryData<string> Packages() => new(Repo.StepGraphPackages().Append(Path.Combine("models", "lstm-stateful")));

    [Theory]
    [MemberData(nameof(Packages))]
    public void A_step_allocates_zero_bytes(string package)
    {
        if (TestBackends.Provider != Providers.ExecutionProvider.Cpu) return;   // device providers rebind the frame each step (see README)
        using var model = EdgeModel.Load(Repo.Full(package), new EdgeModelOptions { Backend = TestBackends.Onnx() });
        using var stream = model.CreateStream();
        if (Golden.Exists(package)) Golden.Load(package).Condition(stream);   // gla-tts needs its text
        int vocab = model.StepModel.InputVocabulary;
        var input = new float[model.InputSize];
        var output = new float[model.OutputSize];
        for (int i = 0; i < 200; i++) stream.Step(input, output);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 2000; i++)
        {
            input[i % input.Length] = vocab > 0 ? i % vocab : i * 0.001f;   // token ids for token models
            stream.Step(input, output);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void The_step_benchmark_reports_zero_bytes_per_step()
    {
        if (TestBackends.Provider != Providers.ExecutionProvider.Cpu) return;   // device providers rebind the frame each step (see README)
        using var model = EdgeModel.Load(Repo.LstmStateful, new EdgeModelOptions { Backend = TestBackends.Onnx() });
        var r = StepBenchmark.Run(model, steps: 3000, warmup: 300);
        Assert.Equal(0, r.AllocBytesPerStep);
        Assert.Equal("onnx:cpu", r.Backend);
    }
}
