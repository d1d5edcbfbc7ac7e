using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Edge.Diagnostics;

/// <summary>
/// Measures the float32 rate of fused multiply-adds threads reach with everything in registers: twelve independent
/// FMA chains per thread (enough to cover the FMA latency on every port of the cores we know), in the widest vectors
/// the machine accelerates (512, 256 or 128 bits). An FMA counts as two floating-point operations. This is the compute
/// roof a step's products can at best reach; a kernel that reads its operands from memory gets less.
/// </summary>
public static class PeakFlops
{
    private const int Chains = 12;

    /// <summary>Bits of the vectors the probe uses: the widest this machine accelerates.</summary>
    public static int VectorBits => Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128;

    /// <summary>
    /// <paramref name="threads"/> threads at once each run <paramref name="iterations"/> rounds of twelve vector FMAs,
    /// <paramref name="passes"/> times; the best total rate, in floating-point operations per second.
    /// </summary>
    public static double MeasureFlopsPerSecond(int threads = 1, long iterations = 20_000_000, int passes = 3)
    {
        Fail.If(threads < 1 || threads > 1024 || iterations < 1000 || passes < 1, EdgeErrorCode.InvalidArgument,
            "peak FLOPs: use 1 to 1024 threads, at least 1,000 iterations and one pass.");
        Run(1, 1000);   // compiled before timing
        double flopsPerThread = 2.0 * Chains * (VectorBits / 32) * iterations;
        double best = 0;
        for (int p = 0; p < passes; p++) best = Math.Max(best, flopsPerThread * threads / Pass(threads, iterations));
        return best;
    }

    private static double Pass(int threads, long iterations) => ParallelPass.Seconds(threads, _ => Run(1.000001f, iterations));

    private static float Run(float m, long iterations) =>
        Vector512.IsHardwareAccelerated ? Run512(m, iterations) : Vector256.IsHardwareAccelerated ? Run256(m, iterations) : Run128(m, iterations);

    // acc = acc × m + c on twelve accumulators: twelve independent dependency chains.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Run512(float m, long iterations)
    {
        var mul = Vector512.Create(m);
        var add = Vector512.Create(1e-7f);
        Vector512<float> a0 = Vector512.Create(0.1f), a1 = Vector512.Create(0.2f), a2 = Vector512.Create(0.3f), a3 = Vector512.Create(0.4f),
            a4 = Vector512.Create(0.5f), a5 = Vector512.Create(0.6f), a6 = Vector512.Create(0.7f), a7 = Vector512.Create(0.8f),
            a8 = Vector512.Create(0.9f), a9 = Vector512.Create(1.0f), a10 = Vector512.Create(1.1f), a11 = Vector512.Create(1.2f);
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, mul, add); a1 = Vector512.FusedMultiplyAdd(a1, mul, add);
            a2 = Vector512.FusedMultiplyAdd(a2, mul, add); a3 = Vector512.FusedMultiplyAdd(a3, mul, add);
            a4 = Vector512.FusedMultiplyAdd(a4, mul, add); a5 = Vector512.FusedMultiplyAdd(a5, mul, add);
            a6 = Vector512.FusedMultiplyAdd(a6, mul, add); a7 = Vector512.FusedMultiplyAdd(a7, mul, add);
            a8 = Vector512.FusedMultiplyAdd(a8, mul, add); a9 = Vector512.FusedMultiplyAdd(a9, mul, add);
            a10 = Vector512.FusedMultiplyAdd(a10, mul, add); a11 = Vector512.FusedMultiplyAdd(a11, mul, add);
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Run256(float m, long iterations)
    {
        var mul = Vector256.Create(m);
        var add = Vector256.Create(1e-7f);
        Vector256<float> a0 = Vector256.Create(0.1f), a1 = Vector256.Create(0.2f), a2 = Vector256.Create(0.3f), a3 = Vector256.Create(0.4f),
            a4 = Vector256.Create(0.5f), a5 = Vector256.Create(0.6f), a6 = Vector256.Create(0.7f), a7 = Vector256.Create(0.8f),
            a8 = Vector256.Create(0.9f), a9 = Vector256.Create(1.0f), a10 = Vector256.Create(1.1f), a11 = Vector256.Create(1.2f);
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, mul, add); a1 = Vector256.FusedMultiplyAdd(a1, mul, add);
            a2 = Vector256.FusedMultiplyAdd(a2, mul, add); a3 = Vector256.FusedMultiplyAdd(a3, mul, add);
            a4 = Vector256.FusedMultiplyAdd(a4, mul, add); a5 = Vector256.FusedMultiplyAdd(a5, mul, add);
            a6 = Vector256.FusedMultiplyAdd(a6, mul, add); a7 = Vector256.FusedMultiplyAdd(a7, mul, add);
            a8 = Vector256.FusedMultiplyAdd(a8, mul, add); a9 = Vector256.FusedMultiplyAdd(a9, mul, add);
            a10 = Vector256.FusedMultiplyAdd(a10, mul, add); a11 = Vector256.FusedMultiplyAdd(a11, mul, add);
        }
        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Run128(float m, long iterations)
    {
        var mul = Vector128.Create(m);
        var add = Vector128.Create(1e-7f);
        Vector128<float> a0 = Vector128.Create(0.1f), a1 = Vector128.Create(0.2f), a2 = Vector128.Create(0.3f), a3 = Vector128.Create(0.4f),
            a4 = Vector128.Create(0.5f), a5 = Vector128.Create(0.6f), a6 = Vector128.Create(0.7f), a7 = Vector128.Create(0.8f),
            a8 = Vector128.Create(0.9f), a9 = Vector128.Create(1.0f), a10 = Vector128.Create(1.1f), a11 = Vector128.Create(1.2f);
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector128.FusedMultiplyAdd(a0, mul, add); a1 = Vector128.FusedMultiplyAdd(a1, mul, add);
            a2 = Vector128.FusedMultiplyAdd(a2, mul, add); a3 = Vector128.FusedMultiplyAdd(a3, mul, add);
            a4 = Vector128.FusedMultiplyAdd(a4, mul, add); a5 = Vector128.FusedMultiplyAdd(a5, mul, add);
            a6 = Vector128.FusedMultiplyAdd(a6, mul, add); a7 = Vector128.FusedMultiplyAdd(a7, mul, add);
            a8 = Vector128.FusedMultiplyAdd(a8, mul, add); a9 = Vector128.FusedMultiplyAdd(a9, mul, add);
            a10 = Vector128.FusedMultiplyAdd(a10, mul, add); a11 = Vector128.FusedMultiplyAdd(a11, mul, add);
        }
        return Vector128.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }
}
