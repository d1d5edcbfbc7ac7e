using Edge.Kernels;

namespace Edge.Kernels.Tests;

public class GlaHeadsTests
{
    private static float[] Random(int n, int seed, float low = -1, float width = 2)
    {
        var rng = new Random(seed);
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = low + width * rng.NextSingle();
        return v;
    }

    private static int[] Bits(float[] v) => v.Select(BitConverter.SingleToInt32Bits).ToArray();

    [Fact]
    public void Heads_shared_among_threads_get_the_bits_of_each_head_stepped_alone_and_allocate_nothing()
    {
        const int heads = 4, kh = 96, vh = 160;
        var alone = Random(heads * kh * vh, 1);
        var shared = (float[])alone.Clone();
        var oAlone = new float[heads * vh];
        var oShared = new float[heads * vh];
        var work = new GlaHeads();
        using var threads = new KernelThreads(3);
        // Inputs made before the loop, so that nothing in it allocates but what it measures.
        var inputs = Enumerable.Range(0, 150).Select(step => (Decay: Random(heads * kh, 10 + step, 0.5f, 0.5f), K: Random(heads * kh, 100 + step),
            V: Random(heads * vh, 200 + step), Q: Random(heads * kh, 300 + step))).ToArray();
        for (int step = 0; step < 150; step++)   // also warms up the JIT (its tiers) and the pool's waits on every thread
        {
            var (decay, k, v, q) = inputs[step];
            for (int h = 0; h < heads; h++)
                GlaRecurrence.Step(alone.AsSpan(h * kh * vh, kh * vh), decay.AsSpan(h * kh, kh), k.AsSpan(h * kh, kh), v.AsSpan(h * vh, vh), q.AsSpan(h * kh, kh), oAlone.AsSpan(h * vh, vh));
            work.Step(shared, decay, k, v, q, oShared, heads, threads);
            if (!alone.AsSpan().SequenceEqual(shared) || !oAlone.AsSpan().SequenceEqual(oShared))
                Assert.Fail($"step {step}: the shared heads differ from the heads alone");
        }
        // Then 500 steps with nothing else in the loop, as the other allocation tests measure: not a byte on any thread.
        long before = GC.GetAllocatedBytesForCurrentThread(), workersBefore = threads.WorkerAllocatedBytes;
        for (int step = 0; step < 500; step++)
        {
            var (decay, k, v, q) = inputs[step % inputs.Length];
            work.Step(shared, decay, k, v, q, oShared, heads, threads);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(0, threads.WorkerAllocatedBytes - workersBefore);
        // Without a pool, or with one thread, the heads run on the caller: the same bits again.
        var serial = (float[])alone.Clone();
        var serialCopy = (float[])alone.Clone();
        var (d1, k1, v1, q1) = (Random(heads * kh, 7, 0.5f, 0.5f), Random(heads * kh, 8), Random(heads * vh, 9), Random(heads * kh, 6));
        var o1 = new float[heads * vh];
        var o2 = new float[heads * vh];
        work.Step(serial, d1, k1, v1, q1, o1, heads, null);
        using var one = new KernelThreads(1);
        work.Step(serialCopy, d1, k1, v1, q1, o2, heads, one);
        Assert.Equal(Bits(serial), Bits(serialCopy));
        Assert.Equal(Bits(o1), Bits(o2));
    }

    [Fact]
    public void Lengths_that_do_not_split_into_the_heads_are_refused()
    {
        var work = new GlaHeads();
        var s = new float[2 * 4 * 6];
        Assert.Throws<ArgumentOutOfRangeException>(() => work.Step(s, new float[7], new float[7], new float[12], new float[7], new float[12], 2, null));
        Assert.Throws<ArgumentException>(() => work.Step(s, new float[8], new float[8], new float[12], new float[8], new float[10], 2, null));
        Assert.Throws<ArgumentException>(() => work.Step(new float[10], new float[8], new float[8], new float[12], new float[8], new float[12], 2, null));
    }
}
