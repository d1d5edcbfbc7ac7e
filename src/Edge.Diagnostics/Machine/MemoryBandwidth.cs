using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Edge.Diagnostics;

/// <summary>
/// Measures the memory bandwidth threads get streaming a buffer far larger than the caches: the figure a
/// bandwidth-bound step (matrix-vector products over weights) can reach. Each thread reads its share of a
/// 64-byte-aligned buffer in several patterns: one sequential stream, and 4, 8 and 16 streams read side by
/// side (more hardware prefetch streams and misses in flight, as a kernel reading several panels' rows does),
/// with 256-bit vectors and, where the machine has them, 512-bit ones; every load feeds its own accumulator
/// chain, so no add latency limits the rate. The best pass of the best pattern counts, so a kernel cannot beat
/// the probe by reading in a pattern it did not try (bench/c/membw.c is the same read in C, to check it against).
/// </summary>
public static class MemoryBandwidth
{
    // Floats a thread's share is rounded to: 16 streams × one 64-byte line × 4 rounds.
    private const int Grain = 16 * 16 * 4;

    /// <summary>The read patterns tried, by name; <see cref="MeasureReadBytesPerSecond(long, int, int)"/> keeps the best.</summary>
    public static IReadOnlyList<string> Patterns { get; } = Vector512.IsHardwareAccelerated
        ? ["1 stream", "4 streams", "8 streams", "16 streams", "1 stream 512-bit", "8 streams 512-bit"]
        : ["1 stream", "4 streams", "8 streams", "16 streams"];

    /// <summary>One thread reads <paramref name="bytes"/> bytes <paramref name="passes"/> times per pattern; the best rate, in bytes per second.</summary>
    public static double MeasureReadBytesPerSecond(long bytes = 1L << 30, int passes = 5) => MeasureReadBytesPerSecond(bytes, passes, 1);

    /// <summary>
    /// <paramref name="threads"/> threads (one per core up to the core count) each read their share of
    /// <paramref name="bytes"/> bytes at once, <paramref name="passes"/> times per pattern; the best total rate, in bytes per second.
    /// A buffer smaller than the caches measures the cache it fits in (as a step whose weights fit there reads them).
    /// </summary>
    public static double MeasureReadBytesPerSecond(long bytes, int passes, int threads) => MeasurePatterns(bytes, passes, threads).Max();

    /// <summary>
    /// The best total rate of each of <see cref="Patterns"/> (in that order), in bytes per second: <paramref name="threads"/>
    /// threads each reading their share of <paramref name="bytes"/> bytes, <paramref name="passes"/> times a pattern.
    /// </summary>
    public static unsafe double[] MeasurePatterns(long bytes, int passes, int threads)
    {
        Fail.If(passes < 1 || threads < 1 || threads > 1024, EdgeErrorCode.InvalidArgument, "bandwidth: use at least one pass and 1 to 1024 threads.");
        long floats = Math.Max(1, bytes / 4 / threads / Grain) * Grain * threads;
        // A buffer that fits in a cache is read several times a pass, so each pass reads at least 256 MiB.
        int repeats = (int)Math.Max(1, (256L << 20) / (floats * 4));
        var buffer = (float*)NativeMemory.AlignedAlloc((nuint)(floats * 4), 4096);
        try
        {
            // Write every float first: the timing sees reads of resident pages, not page faults.
            new Span<float>(buffer, (int)Math.Min(floats, int.MaxValue)).Fill(1f);
            for (long i = int.MaxValue; i < floats; i++) buffer[i] = 1f;
            long share = floats / threads;
            var best = new double[Patterns.Count];
            for (int pattern = 0; pattern < best.Length; pattern++)
            {
                for (int p = 0; p < passes; p++)
                    best[pattern] = Math.Max(best[pattern], repeats * share * threads * 4.0 / Pass((nint)buffer, share, threads, pattern, repeats));
            }
            return best;
        }
        finally
        {
            NativeMemory.AlignedFree(buffer);
        }
    }

    // Seconds for every thread to read its share once, timed from a common start to the last finish.
    private static double Pass(nint buffer, long share, int threads, int pattern, int repeats) =>
        ParallelPass.Seconds(threads, t => Read(buffer + (nint)(t * share * 4), share, pattern, repeats));

    private static float Read(nint from, long count, int pattern, int repeats)
    {
        float s = 0;
        for (int r = 0; r < repeats; r++) s += Read(from, count, pattern);
        return s;
    }

    private static unsafe float Read(nint from, long count, int pattern) => pattern switch
    {
        0 => Streams1((float*)from, count),
        1 => Streams4((float*)from, count),
        2 => Streams8((float*)from, count),
        3 => Streams16((float*)from, count),
        4 => Streams1Wide((float*)from, count),
        _ => Streams8Wide((float*)from, count),
    };

    // One stream, two 64-byte lines a round, eight independent accumulators.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe float Streams1(float* a, long count)
    {
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        for (float* p = a, end = a + count; p < end; p += 64)
        {
            s0 += Vector256.LoadAligned(p);
            s1 += Vector256.LoadAligned(p + 8);
            s2 += Vector256.LoadAligned(p + 16);
            s3 += Vector256.LoadAligned(p + 24);
            s4 += Vector256.LoadAligned(p + 32);
            s5 += Vector256.LoadAligned(p + 40);
            s6 += Vector256.LoadAligned(p + 48);
            s7 += Vector256.LoadAligned(p + 56);
        }
        return Vector256.Sum(s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7);
    }

    // Four streams (the share cut in four parts read side by side), one 64-byte line from each a round.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe float Streams4(float* a, long count)
    {
        long part = count / 4;
        float* b = a + part, c = b + part, d = c + part;
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        for (long i = 0; i < part; i += 16)
        {
            s0 += Vector256.LoadAligned(a + i);
            s1 += Vector256.LoadAligned(a + i + 8);
            s2 += Vector256.LoadAligned(b + i);
            s3 += Vector256.LoadAligned(b + i + 8);
            s4 += Vector256.LoadAligned(c + i);
            s5 += Vector256.LoadAligned(c + i + 8);
            s6 += Vector256.LoadAligned(d + i);
            s7 += Vector256.LoadAligned(d + i + 8);
        }
        return Vector256.Sum(s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7);
    }

    // Eight streams, one 64-byte line from each a round.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe float Streams8(float* a, long count)
    {
        long part = count / 8;
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        for (float* p = a, end = a + part; p < end; p += 16)
        {
            s0 += Vector256.LoadAligned(p) + Vector256.LoadAligned(p + 8);
            s1 += Vector256.LoadAligned(p + part) + Vector256.LoadAligned(p + part + 8);
            s2 += Vector256.LoadAligned(p + 2 * part) + Vector256.LoadAligned(p + 2 * part + 8);
            s3 += Vector256.LoadAligned(p + 3 * part) + Vector256.LoadAligned(p + 3 * part + 8);
            s4 += Vector256.LoadAligned(p + 4 * part) + Vector256.LoadAligned(p + 4 * part + 8);
            s5 += Vector256.LoadAligned(p + 5 * part) + Vector256.LoadAligned(p + 5 * part + 8);
            s6 += Vector256.LoadAligned(p + 6 * part) + Vector256.LoadAligned(p + 6 * part + 8);
            s7 += Vector256.LoadAligned(p + 7 * part) + Vector256.LoadAligned(p + 7 * part + 8);
        }
        return Vector256.Sum(s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7);
    }

    // Sixteen streams, one 64-byte line from each a round.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe float Streams16(float* a, long count)
    {
        long part = count / 16;
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        for (float* p = a, end = a + part; p < end; p += 16)
        {
            float* q = p + 8 * part;
            s0 += Vector256.LoadAligned(p) + Vector256.LoadAligned(p + 8) + Vector256.LoadAligned(q) + Vector256.LoadAligned(q + 8);
            s1 += Vector256.LoadAligned(p + part) + Vector256.LoadAligned(p + part + 8) + Vector256.LoadAligned(q + part) + Vector256.LoadAligned(q + part + 8);
            s2 += Vector256.LoadAligned(p + 2 * part) + Vector256.LoadAligned(p + 2 * part + 8) + Vector256.LoadAligned(q + 2 * part) + Vector256.LoadAligned(q + 2 * part + 8);
            s3 += Vector256.LoadAligned(p + 3 * part) + Vector256.LoadAligned(p + 3 * part + 8) + Vector256.LoadAligned(q + 3 * part) + Vector256.LoadAligned(q + 3 * part + 8);
            s4 += Vector256.LoadAligned(p + 4 * part) + Vector256.LoadAligned(p + 4 * part + 8) + Vector256.LoadAligned(q + 4 * part) + Vector256.LoadAligned(q + 4 * part + 8);
            s5 += Vector256.LoadAligned(p + 5 * part) + Vector256.LoadAligned(p + 5 * part + 8) + Vector256.LoadAligned(q + 5 * part) + Vector256.LoadAligned(q + 5 * part + 8);
            s6 += Vector256.LoadAligned(p + 6 * part) + Vector256.LoadAligned(p + 6 * part + 8) + Vector256.LoadAligned(q + 6 * part) + Vector256.LoadAligned(q + 6 * part + 8);
            s7 += Vector256.LoadAligned(p + 7 * part) + Vector256.LoadAligned(p + 7 * part + 8) + Vector256.LoadAligned(q + 7 * part) + Vector256.LoadAligned(q + 7 * part + 8);
        }
        return Vector256.Sum(s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7);
    }

    // One stream of 512-bit loads, eight accumulators.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe float Streams1Wide(float* a, long count)
    {
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        for (float* p = a, end = a + count; p < end; p += 128)
        {
            s0 += Vector512.LoadAligned(p);
            s1 += Vector512.LoadAligned(p + 16);
            s2 += Vector512.LoadAligned(p + 32);
            s3 += Vector512.LoadAligned(p + 48);
            s4 += Vector512.LoadAligned(p + 64);
            s5 += Vector512.LoadAligned(p + 80);
            s6 += Vector512.LoadAligned(p + 96);
            s7 += Vector512.LoadAligned(p + 112);
        }
        return Vector512.Sum(s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7);
    }

    // Eight streams of 512-bit loads, one 64-byte line from each a round.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe float Streams8Wide(float* a, long count)
    {
        long part = count / 8;
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        for (float* p = a, end = a + part; p < end; p += 16)
        {
            s0 += Vector512.LoadAligned(p);
            s1 += Vector512.LoadAligned(p + part);
            s2 += Vector512.LoadAligned(p + 2 * part);
            s3 += Vector512.LoadAligned(p + 3 * part);
            s4 += Vector512.LoadAligned(p + 4 * part);
            s5 += Vector512.LoadAligned(p + 5 * part);
            s6 += Vector512.LoadAligned(p + 6 * part);
            s7 += Vector512.LoadAligned(p + 7 * part);
        }
        return Vector512.Sum(s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7);
    }
}
