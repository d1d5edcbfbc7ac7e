using Edge.Streams;

namespace Edge.TestSupport;

/// <summary>The hot-path promise, checked the same way for every family: after warm-up a step allocates nothing and the state keeps its size.</summary>
public static class StepAllocation
{
    /// <summary>Warms a fresh stream of <paramref name="model"/> up, then asserts 20,000 steps on changing input allocate 0 bytes and the state size holds.</summary>
    public static void AssertNone(EdgeModel model)
    {
        using var stream = model.CreateStream();
        var x = new float[model.InputSize];
        var y = new float[model.OutputSize];
        long stateBytes = model.State.Bytes;
        for (int i = 0; i < 2000; i++) stream.Step(x, y);   // warm up the JIT
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20_000; i++)
        {
            x[i % x.Length] = i * 0.001f;
            stream.Step(x, y);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(stateBytes, model.State.Bytes);
        Assert.Equal(stateBytes, stream.Snapshot().Bytes.Length);
    }

    /// <summary>
    /// The same promise for a step that is not one model's (a pipeline of several): <paramref name="step"/>(i) is called
    /// <paramref name="warmup"/> times, then <paramref name="steps"/> more times must allocate 0 bytes on this thread.
    /// </summary>
    public static void AssertNone(Action<int> step, int warmup = 2000, int steps = 20_000)
    {
        for (int i = 0; i < warmup; i++) step(i);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = warmup; i < warmup + steps; i++) step(i);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }
}
