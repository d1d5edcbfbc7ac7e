using Edge.Backends;

namespace Edge.Streams;

/// <summary>The batch step of a model with no batched form (<see cref="IBatchStepModel"/>): its streams one after another.</summary>
internal sealed class SequentialBatchStep(IStepModel model, int capacity) : IBatchStep
{
    public int Capacity { get; } = capacity;

    public void Step(ReadOnlySpan<IStepSession> sessions, ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        int n = model.InputSize, m = model.OutputSize;
        for (int i = 0; i < sessions.Length; i++) sessions[i].Step(inputs.Slice(i * n, n), outputs.Slice(i * m, m));
    }

    public void Dispose()
    {
    }
}
