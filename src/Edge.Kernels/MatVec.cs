using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Edge.Kernels;

/// <summary>
/// Matrix-vector products for row-major weights <c>[rows, cols]</c> (PyTorch <c>nn.Linear.weight</c> layout).
/// Four rows are read per pass so each load of <c>x</c> feeds four fused multiply-adds.
/// </summary>
public static class MatVec
{
    /// <summary>Computes <c>y = W x</c>, where <c>rows = y.Length</c> and <c>cols = x.Length</c>.</summary>
    /// <param name="weights">Row-major <c>[y.Length, x.Length]</c> matrix.</param>
    /// <param name="x">Input vector.</param>
    /// <param name="y">Output vector; must not overlap <paramref name="x"/>.</param>
    public static void Multiply(ReadOnlySpan<float> weights, ReadOnlySpan<float> x, Span<float> y)
    {
        Check(weights, x, y);
        Core(weights, x, y, accumulate: false, SimdPaths.Best);
    }

    /// <summary>Computes <c>y = W x + b</c>.</summary>
    /// <param name="weights">Row-major <c>[y.Length, x.Length]</c> matrix.</param>
    /// <param name="x">Input vector.</param>
    /// <param name="bias">Bias of length <c>y.Length</c>.</param>
    /// <param name="y">Output vector; must not overlap <paramref name="x"/>.</param>
    public static void MultiplyAddBias(ReadOnlySpan<float> weights, ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y)
    {
        Check(weights, x, y);
        if (bias.Length != y.Length) Throw.Length(nameof(bias), y.Length, bias.Length);
        bias.CopyTo(y);
        Core(weights, x, y, accumulate: true, SimdPaths.Best);
    }

    /// <summary>Computes <c>y += W x</c>.</summary>
    /// <param name="weights">Row-major <c>[y.Length, x.Length]</c> matrix.</param>
    /// <param name="x">Input vector.</param>
    /// <param name="y">Vector accumulated into; must not overlap <paramref name="x"/>.</param>
    public static void MultiplyAccumulate(ReadOnlySpan<float> weights, ReadOnlySpan<float> x, Span<float> y)
    {
        Check(weights, x, y);
        Core(weights, x, y, accumulate: true, SimdPaths.Best);
    }

    /// <summary>As the public Multiply, on a chosen SIMD path, so tests can check every path on one machine.</summary>
    internal static void Multiply(ReadOnlySpan<float> weights, ReadOnlySpan<float> x, Span<float> y, SimdPath path)
    {
        Check(weights, x, y);
        Core(weights, x, y, accumulate: false, path);
    }

    private static void Check(ReadOnlySpan<float> weights, ReadOnlySpan<float> x, Span<float> y)
    {
        if ((long)x.Length * y.Length != weights.Length)
            Throw.Length(nameof(weights), (long)x.Length * y.Length, weights.Length);
        if (x.Overlaps(y)) Throw.Overlap(nameof(x), nameof(y));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Core(ReadOnlySpan<float> weights, ReadOnlySpan<float> x, Span<float> y, bool accumulate, SimdPath path)
    {
        int rows = y.Length, cols = x.Length;
        if (rows == 0) return;
        if (cols == 0)
        {
            if (!accumulate) y.Clear();
            return;
        }
        ref float w0 = ref MemoryMarshal.GetReference(weights);
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);

        if (path >= SimdPath.V512 && cols >= Vector512<float>.Count) Rows<Width512, Vector512<float>>(ref w0, ref xr, ref yr, rows, cols, accumulate);
        else if (path >= SimdPath.V256 && cols >= Vector256<float>.Count) Rows<Width256, Vector256<float>>(ref w0, ref xr, ref yr, rows, cols, accumulate);
        else if (path >= SimdPath.V128 && cols >= Vector128<float>.Count) Rows<Width128, Vector128<float>>(ref w0, ref xr, ref yr, rows, cols, accumulate);
        else
        {
            for (int r = 0; r < rows; r++) Store1(ref yr, r, DotScalar(ref Unsafe.Add(ref w0, (nint)r * cols), ref xr, cols), accumulate);
        }
    }

    // The row-block shape: four rows per pass share each load of x, the last rows go one at a time. Every row's
    // sum is formed the same way in both, so a row's result does not depend on which block it fell in.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rows<TWidth, TVector>(ref float w0, ref float x, ref float y, int rows, int cols, bool accumulate)
        where TWidth : IVectorWidth<TVector>
        where TVector : struct
    {
        int r = 0;
        for (; r + 4 <= rows; r += 4)
        {
            Dot4<TWidth, TVector>(ref Unsafe.Add(ref w0, (nint)r * cols), cols, ref x, out float a, out float b, out float c, out float d);
            Store4(ref y, r, a, b, c, d, accumulate);
        }
        for (; r < rows; r++) Store1(ref y, r, Dot<TWidth, TVector>(ref Unsafe.Add(ref w0, (nint)r * cols), ref x, cols), accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store4(ref float y, int r, float a, float b, float c, float d, bool accumulate)
    {
        if (accumulate)
        {
            Unsafe.Add(ref y, r) += a; Unsafe.Add(ref y, r + 1) += b;
            Unsafe.Add(ref y, r + 2) += c; Unsafe.Add(ref y, r + 3) += d;
        }
        else
        {
            Unsafe.Add(ref y, r) = a; Unsafe.Add(ref y, r + 1) = b;
            Unsafe.Add(ref y, r + 2) = c; Unsafe.Add(ref y, r + 3) = d;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store1(ref float y, int r, float v, bool accumulate)
    {
        if (accumulate) Unsafe.Add(ref y, r) += v; else Unsafe.Add(ref y, r) = v;
    }

    // A masked reduction: the last vector of a row overlaps the previous one and the lanes already counted are
    // masked out of x (an overlapping re-read would count them twice), so no scalar tail loop is needed.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dot4<TWidth, TVector>(ref float w, int cols, ref float x, out float a, out float b, out float c, out float d)
        where TWidth : IVectorWidth<TVector>
        where TVector : struct
    {
        nuint n = (nuint)cols, step = (nuint)TWidth.Count;
        TVector s0 = default, s1 = default, s2 = default, s3 = default;
        ref float w1 = ref Unsafe.Add(ref w, cols), w2 = ref Unsafe.Add(ref w, 2 * cols), w3 = ref Unsafe.Add(ref w, 3 * cols);
        nuint i = 0;
        for (; i + step <= n; i += step)
        {
            var xv = TWidth.Load(ref x, i);
            s0 = TWidth.FusedMultiplyAdd(TWidth.Load(ref w, i), xv, s0);
            s1 = TWidth.FusedMultiplyAdd(TWidth.Load(ref w1, i), xv, s1);
            s2 = TWidth.FusedMultiplyAdd(TWidth.Load(ref w2, i), xv, s2);
            s3 = TWidth.FusedMultiplyAdd(TWidth.Load(ref w3, i), xv, s3);
        }
        if (i < n)
        {
            nuint start = n - step;
            var xv = TWidth.Select(TWidth.LanesFrom((int)(i - start)), TWidth.Load(ref x, start), default);
            s0 = TWidth.FusedMultiplyAdd(TWidth.Load(ref w, start), xv, s0);
            s1 = TWidth.FusedMultiplyAdd(TWidth.Load(ref w1, start), xv, s1);
            s2 = TWidth.FusedMultiplyAdd(TWidth.Load(ref w2, start), xv, s2);
            s3 = TWidth.FusedMultiplyAdd(TWidth.Load(ref w3, start), xv, s3);
        }
        a = TWidth.Sum(s0); b = TWidth.Sum(s1); c = TWidth.Sum(s2); d = TWidth.Sum(s3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot<TWidth, TVector>(ref float w, ref float x, int cols)
        where TWidth : IVectorWidth<TVector>
        where TVector : struct
    {
        nuint n = (nuint)cols, step = (nuint)TWidth.Count;
        TVector s = default;
        nuint i = 0;
        for (; i + step <= n; i += step) s = TWidth.FusedMultiplyAdd(TWidth.Load(ref w, i), TWidth.Load(ref x, i), s);
        if (i < n)
        {
            nuint start = n - step;
            var xv = TWidth.Select(TWidth.LanesFrom((int)(i - start)), TWidth.Load(ref x, start), default);
            s = TWidth.FusedMultiplyAdd(TWidth.Load(ref w, start), xv, s);
        }
        return TWidth.Sum(s);
    }

    private static float DotScalar(ref float w, ref float x, int cols)
    {
        float s = 0;
        for (int i = 0; i < cols; i++) s = MathF.FusedMultiplyAdd(Unsafe.Add(ref w, i), Unsafe.Add(ref x, i), s);
        return s;
    }
}
