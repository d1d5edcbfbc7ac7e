using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Edge.Diagnostics;

/// <summary>
/// Measures the memory bandwidth one thread gets streaming a buffer far larger than the caches: the
/// figure a bandwidth-bound single-threaded step (a matrix-vector product over weights) can reach.
/// </summary>
public static class MemoryBandwidth
{
    /// <summary>Reads a buffer of <paramref name="bytes"/> bytes <paramref name="passes"/> times and returns the best rate, in bytes per second.</summary>
    public static double MeasureReadBytesPerSecond(long bytes = 1L << 30, int passes = 5)
    {
        Fail.If(bytes < 1 << 20 || passes < 1, EdgeErrorCode.InvalidArgument, "bandwidth: use at least 1 MiB and one pass.");
        var buffer = GC.AllocateUninitializedArray<float>((int)Math.Min(bytes / 4, Array.MaxLength));
        // Touch every page first so the timing sees reads, not page faults.
        for (int i = 0; i < buffer.Length; i += 1024) buffer[i] = i;
        double best = 0;
        float sink = 0;
        for (int p = 0; p < passes; p++)
        {
            long t0 = Stopwatch.GetTimestamp();
            sink += Sum(buffer);
            double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            best = Math.Max(best, buffer.Length * 4.0 / seconds);
        }
        GC.KeepAlive(sink);
        return best;
    }

    // Four independent accumulators keep several loads in flight, as a matrix-vector kernel does.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Sum(float[] a)
    {
        ref float r = ref MemoryMarshal.GetArrayDataReference(a);
        int n = Vector256<float>.Count, i = 0;
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
        for (; i + 4 * n <= a.Length; i += 4 * n)
        {
            s0 += Vector256.LoadUnsafe(ref r, (nuint)i);
            s1 += Vector256.LoadUnsafe(ref r, (nuint)(i + n));
            s2 += Vector256.LoadUnsafe(ref r, (nuint)(i + 2 * n));
            s3 += Vector256.LoadUnsafe(ref r, (nuint)(i + 3 * n));
        }
        float s = Vector256.Sum(s0 + s1 + s2 + s3);
        for (; i < a.Length; i++) s += a[i];
        return s;
    }
}
