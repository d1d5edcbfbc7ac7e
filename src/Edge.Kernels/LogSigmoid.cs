using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Edge.Kernels;

/// <summary>
/// <c>log σ(x) = min(x, 0) − log(1 + exp(−|x|))</c>, written so that neither large positive nor large
/// negative inputs overflow or lose the small tail (PyTorch's <c>F.logsigmoid</c>). Computed in double
/// and rounded once; the vector paths widen to double lanes and use the same formula.
/// </summary>
public static class LogSigmoid
{
    // Below this, log(1 + e) is taken from its series: float.LogP1 / Log(1 + e) would lose e.
    private const double SeriesBelow = 1e-4;

    /// <summary>Applies log σ elementwise.</summary>
    /// <param name="x">Input.</param>
    /// <param name="y">Output of the same length; may be <paramref name="x"/> itself but must not partly overlap it.</param>
    public static void Apply(ReadOnlySpan<float> x, Span<float> y) => Apply(x, y, SimdPaths.Best);

    /// <summary>As the public Apply, on a chosen SIMD path, so tests can check every path on one machine.</summary>
    internal static void Apply(ReadOnlySpan<float> x, Span<float> y, SimdPath path)
    {
        if (y.Length != x.Length) Throw.Length(nameof(y), x.Length, y.Length);
        if (x.Overlaps(y, out int offset) && offset != 0) Throw.Overlap(nameof(x), nameof(y));
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        int i = path switch
        {
            SimdPath.V512 => Apply512(ref xr, ref yr, x.Length),
            SimdPath.V256 => Apply256(ref xr, ref yr, x.Length),
            SimdPath.V128 => Apply128(ref xr, ref yr, x.Length),
            _ => 0,
        };
        for (; i < x.Length; i++)
        {
            double v = Unsafe.Add(ref xr, i);
            double e = Math.Exp(-Math.Abs(v));
            double log1p = e < SeriesBelow ? e * (1 - 0.5 * e) : Math.Log(1 + e);
            Unsafe.Add(ref yr, i) = (float)(Math.Min(v, 0) - log1p);
        }
    }

    // Eight floats per iteration, widened to one vector of doubles. Returns the elements done.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Apply512(ref float x, ref float y, int n)
    {
        var one = Vector512<double>.One;
        var half = Vector512.Create(0.5);
        var small = Vector512.Create(SeriesBelow);
        int i = 0;
        for (; i + 8 <= n; i += 8)
        {
            var v = Vector512.WidenLower(Vector256.LoadUnsafe(ref x, (nuint)i).ToVector512Unsafe());
            var e = Vector512.Exp(-Vector512.Abs(v));
            var log1p = Vector512.ConditionalSelect(Vector512.LessThan(e, small), e * (one - half * e), Vector512.Log(one + e));
            var r = Vector512.Min(v, Vector512<double>.Zero) - log1p;
            Vector512.Narrow(r, r).GetLower().StoreUnsafe(ref y, (nuint)i);
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Apply256(ref float x, ref float y, int n)
    {
        var one = Vector256<double>.One;
        var half = Vector256.Create(0.5);
        var small = Vector256.Create(SeriesBelow);
        int i = 0;
        for (; i + 4 <= n; i += 4)
        {
            var v = Vector256.WidenLower(Vector128.LoadUnsafe(ref x, (nuint)i).ToVector256Unsafe());
            var e = Vector256.Exp(-Vector256.Abs(v));
            var log1p = Vector256.ConditionalSelect(Vector256.LessThan(e, small), e * (one - half * e), Vector256.Log(one + e));
            var r = Vector256.Min(v, Vector256<double>.Zero) - log1p;
            Vector256.Narrow(r, r).GetLower().StoreUnsafe(ref y, (nuint)i);
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Apply128(ref float x, ref float y, int n)
    {
        var one = Vector128<double>.One;
        var half = Vector128.Create(0.5);
        var small = Vector128.Create(SeriesBelow);
        int i = 0;
        for (; i + 4 <= n; i += 4)
        {
            var f = Vector128.LoadUnsafe(ref x, (nuint)i);
            var lo = One128(Vector128.WidenLower(f), one, half, small);
            var hi = One128(Vector128.WidenUpper(f), one, half, small);
            Vector128.Narrow(lo, hi).StoreUnsafe(ref y, (nuint)i);
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> One128(Vector128<double> v, Vector128<double> one, Vector128<double> half, Vector128<double> small)
    {
        var e = Vector128.Exp(-Vector128.Abs(v));
        var log1p = Vector128.ConditionalSelect(Vector128.LessThan(e, small), e * (one - half * e), Vector128.Log(one + e));
        return Vector128.Min(v, Vector128<double>.Zero) - log1p;
    }
}
