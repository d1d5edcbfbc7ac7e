using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Edge.Diagnostics;

/// <summary>
/// Measures the memory bandwidth threads get streaming a buffer far larger than the caches: the figure a
/// bandwidth-bound step (matrix-vector products over weights) can reach. Each thread reads its share as
/// one sequential stream and as eight interleaved ones (more hardware prefetch streams and misses in
/// flight, as a kernel reading several panels' rows does), and the faster of the two counts, so a kernel
/// cannot beat the probe by reading in a pattern it did not try.
/// </summary>
public static class MemoryBandwidth
{
    private const int Streams = 8;

    /// <summary>One thread reads <paramref name="bytes"/> bytes <paramref name="passes"/> times; the best rate, in bytes per second.</summary>
    public static double MeasureReadBytesPerSecond(long bytes = 1L << 30, int passes = 5) => MeasureReadBytesPerSecond(bytes, passes, 1);

    /// <summary>
    /// <paramref name="threads"/> threads (one per core up to the core count) each read their share of
    /// <paramref name="bytes"/> bytes at once, <paramref name="passes"/> times; the best total rate, in bytes per second.
    /// </summary>
    public static double MeasureReadBytesPerSecond(long bytes, int passes, int threads)
    {
        Fail.If(bytes < 1 << 20 || passes < 1 || threads < 1, EdgeErrorCode.InvalidArgument, "bandwidth: use at least 1 MiB, one pass and one thread.");
        var buffer = GC.AllocateUninitializedArray<float>((int)Math.Min(bytes / 4, Array.MaxLength));
        // Touch every page first so the timing sees reads, not page faults.
        for (int i = 0; i < buffer.Length; i += 1024) buffer[i] = i;
        int share = buffer.Length / threads / (Streams * 32) * (Streams * 32);
        double best = 0;
        foreach (bool interleaved in new[] { false, true })
        {
            for (int p = 0; p < passes; p++)
                best = Math.Max(best, (double)share * threads * 4 / Pass(buffer, share, threads, interleaved));
        }
        return best;
    }

    // Seconds for every thread to read its share once, timed from a common start to the last finish.
    private static double Pass(float[] buffer, int share, int threads, bool interleaved)
    {
        if (threads == 1)
        {
            long t0 = Stopwatch.GetTimestamp();
            float s = interleaved ? SumInterleaved(buffer, 0, share) : Sum(buffer, 0, share);
            double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            GC.KeepAlive(s);
            return seconds;
        }
        using var start = new Barrier(threads + 1);
        var done = new CountdownEvent(threads);
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            int from = t * share;
            workers[t] = new Thread(() =>
            {
                start.SignalAndWait();
                float s = interleaved ? SumInterleaved(buffer, from, share) : Sum(buffer, from, share);
                GC.KeepAlive(s);
                done.Signal();
            }) { IsBackground = true };
            workers[t].Start();
        }
        start.SignalAndWait();
        long begin = Stopwatch.GetTimestamp();
        done.Wait();
        double elapsed = Stopwatch.GetElapsedTime(begin).TotalSeconds;
        foreach (var w in workers) w.Join();
        done.Dispose();
        return elapsed;
    }

    // One stream, four independent accumulators.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Sum(float[] a, int from, int count)
    {
        ref float r = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(a), from);
        int n = Vector256<float>.Count;
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
        for (int i = 0; i + 4 * n <= count; i += 4 * n)
        {
            s0 += Vector256.LoadUnsafe(ref r, (nuint)i);
            s1 += Vector256.LoadUnsafe(ref r, (nuint)(i + n));
            s2 += Vector256.LoadUnsafe(ref r, (nuint)(i + 2 * n));
            s3 += Vector256.LoadUnsafe(ref r, (nuint)(i + 3 * n));
        }
        return Vector256.Sum(s0 + s1 + s2 + s3);
    }

    // Eight streams: the share cut in eight parts read side by side, 64 bytes (a cache line) from each per round.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float SumInterleaved(float[] a, int from, int count)
    {
        ref float r = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(a), from);
        int n = Vector256<float>.Count, part = count / Streams;
        nuint p = (nuint)part;
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
        for (nuint i = 0; i + (nuint)(2 * n) <= p; i += (nuint)(2 * n))
        {
            s0 += Vector256.LoadUnsafe(ref r, i) + Vector256.LoadUnsafe(ref r, i + (nuint)n);
            s1 += Vector256.LoadUnsafe(ref r, p + i) + Vector256.LoadUnsafe(ref r, p + i + (nuint)n);
            s2 += Vector256.LoadUnsafe(ref r, 2 * p + i) + Vector256.LoadUnsafe(ref r, 2 * p + i + (nuint)n);
            s3 += Vector256.LoadUnsafe(ref r, 3 * p + i) + Vector256.LoadUnsafe(ref r, 3 * p + i + (nuint)n);
            s0 += Vector256.LoadUnsafe(ref r, 4 * p + i) + Vector256.LoadUnsafe(ref r, 4 * p + i + (nuint)n);
            s1 += Vector256.LoadUnsafe(ref r, 5 * p + i) + Vector256.LoadUnsafe(ref r, 5 * p + i + (nuint)n);
            s2 += Vector256.LoadUnsafe(ref r, 6 * p + i) + Vector256.LoadUnsafe(ref r, 6 * p + i + (nuint)n);
            s3 += Vector256.LoadUnsafe(ref r, 7 * p + i) + Vector256.LoadUnsafe(ref r, 7 * p + i + (nuint)n);
        }
        return Vector256.Sum(s0 + s1 + s2 + s3);
    }
}
