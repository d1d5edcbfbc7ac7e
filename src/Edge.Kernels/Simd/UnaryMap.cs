using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Edge.Kernels;

/// <summary>
/// The elementwise-map loop shape: <c>y[i] = op(x[i])</c> at the widest accelerated width that fits the length,
/// the remainder taken by one overlapping, masked last vector rather than a scalar tail; only lengths below four
/// run the scalar form.
/// </summary>
internal static class UnaryMap
{
    /// <summary>Maps <paramref name="x"/> into <paramref name="y"/>; y must be x itself or not overlap it (the callers check).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Apply<TOperator>(ReadOnlySpan<float> x, Span<float> y, SimdPath path) where TOperator : IUnaryOperator
    {
        AssertAliasRule(x, y);
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        int n = x.Length;
        if (path >= SimdPath.V512 && n >= Vector512<float>.Count) Vectorized<TOperator, Width512, Vector512<float>>(ref xr, ref yr, n);
        else if (path >= SimdPath.V256 && n >= Vector256<float>.Count) Vectorized<TOperator, Width256, Vector256<float>>(ref xr, ref yr, n);
        else if (path >= SimdPath.V128 && n >= Vector128<float>.Count) Vectorized<TOperator, Width128, Vector128<float>>(ref xr, ref yr, n);
        else for (int i = 0; i < n; i++) Unsafe.Add(ref yr, i) = TOperator.Invoke(Unsafe.Add(ref xr, i));
    }

    // The last vector overlaps the one before it and only its fresh lanes are stored: when y is x, the lanes it
    // shares with the previous vector already hold outputs, so what the operator makes of them is dropped.
    // (Computing the last vector first instead keeps it live across the loop, which cost log-sigmoid 7%.) One
    // method per width, as the per-width loops were: inlined into the dispatcher it measured 2–3% slower.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Vectorized<TOperator, TWidth, TVector>(ref float x, ref float y, int n)
        where TOperator : IUnaryOperator
        where TWidth : IVectorWidth<TVector>
        where TVector : struct
    {
        nuint count = (nuint)n, step = (nuint)TWidth.Count;
        nuint i = 0;
        for (; i + step <= count; i += step) TWidth.Store(TWidth.Invoke<TOperator>(TWidth.Load(ref x, i)), ref y, i);
        if (i < count)
        {
            nuint last = count - step;
            var fresh = TWidth.LanesFrom((int)(i - last));
            TWidth.Store(TWidth.Select(fresh, TWidth.Invoke<TOperator>(TWidth.Load(ref x, last)), TWidth.Load(ref y, last)), ref y, last);
        }
    }

    [Conditional("DEBUG")]
    private static void AssertAliasRule(ReadOnlySpan<float> x, Span<float> y)
    {
        Debug.Assert(x.Length == y.Length, "x and y must have the same length.");
        Debug.Assert(!x.Overlaps(y, out int offset) || offset == 0, "y must be x itself or not overlap it.");
    }
}
