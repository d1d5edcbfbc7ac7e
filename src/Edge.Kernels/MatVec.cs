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

        int r = 0;
        if (path >= SimdPath.V512 && cols >= Vector512<float>.Count)
        {
            for (; r + 4 <= rows; r += 4)
            {
                Dot4x512(ref Unsafe.Add(ref w0, (nint)r * cols), cols, ref xr, out float a, out float b, out float c, out float d);
                Store4(ref yr, r, a, b, c, d, accumulate);
            }
            for (; r < rows; r++) Store1(ref yr, r, Dot512(ref Unsafe.Add(ref w0, (nint)r * cols), ref xr, cols), accumulate);
        }
        else if (path >= SimdPath.V256 && cols >= Vector256<float>.Count)
        {
            for (; r + 4 <= rows; r += 4)
            {
                Dot4x256(ref Unsafe.Add(ref w0, (nint)r * cols), cols, ref xr, out float a, out float b, out float c, out float d);
                Store4(ref yr, r, a, b, c, d, accumulate);
            }
            for (; r < rows; r++) Store1(ref yr, r, Dot256(ref Unsafe.Add(ref w0, (nint)r * cols), ref xr, cols), accumulate);
        }
        else if (path >= SimdPath.V128 && cols >= Vector128<float>.Count)
        {
            for (; r < rows; r++) Store1(ref yr, r, Dot128(ref Unsafe.Add(ref w0, (nint)r * cols), ref xr, cols), accumulate);
        }
        else
        {
            for (; r < rows; r++) Store1(ref yr, r, DotScalar(ref Unsafe.Add(ref w0, (nint)r * cols), ref xr, cols), accumulate);
        }
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

    // The last vector of a row overlaps the previous one; the lanes already counted are masked out,
    // so no scalar tail loop is needed.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dot4x512(ref float w, int cols, ref float x, out float a, out float b, out float c, out float d)
    {
        const int n = 16;
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
        ref float w1 = ref Unsafe.Add(ref w, cols), w2 = ref Unsafe.Add(ref w, 2 * cols), w3 = ref Unsafe.Add(ref w, 3 * cols);
        int i = 0;
        for (; i + n <= cols; i += n)
        {
            var xv = Vector512.LoadUnsafe(ref x, (nuint)i);
            s0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref w, (nuint)i), xv, s0);
            s1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref w1, (nuint)i), xv, s1);
            s2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref w2, (nuint)i), xv, s2);
            s3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref w3, (nuint)i), xv, s3);
        }
        if (i < cols)
        {
            int start = cols - n;
            var mask = Vector512.GreaterThanOrEqual(Vector512<int>.Indices, Vector512.Create(i - start)).AsSingle();
            var xv = Vector512.ConditionalSelect(mask, Vector512.LoadUnsafe(ref x, (nuint)start), default);
            s0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref w, (nuint)start), xv, s0);
            s1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref w1, (nuint)start), xv, s1);
            s2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref w2, (nuint)start), xv, s2);
            s3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref w3, (nuint)start), xv, s3);
        }
        a = Vector512.Sum(s0); b = Vector512.Sum(s1); c = Vector512.Sum(s2); d = Vector512.Sum(s3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dot4x256(ref float w, int cols, ref float x, out float a, out float b, out float c, out float d)
    {
        const int n = 8;
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
        ref float w1 = ref Unsafe.Add(ref w, cols), w2 = ref Unsafe.Add(ref w, 2 * cols), w3 = ref Unsafe.Add(ref w, 3 * cols);
        int i = 0;
        for (; i + n <= cols; i += n)
        {
            var xv = Vector256.LoadUnsafe(ref x, (nuint)i);
            s0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref w, (nuint)i), xv, s0);
            s1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref w1, (nuint)i), xv, s1);
            s2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref w2, (nuint)i), xv, s2);
            s3 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref w3, (nuint)i), xv, s3);
        }
        if (i < cols)
        {
            int start = cols - n;
            var mask = Vector256.GreaterThanOrEqual(Vector256<int>.Indices, Vector256.Create(i - start)).AsSingle();
            var xv = Vector256.ConditionalSelect(mask, Vector256.LoadUnsafe(ref x, (nuint)start), default);
            s0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref w, (nuint)start), xv, s0);
            s1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref w1, (nuint)start), xv, s1);
            s2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref w2, (nuint)start), xv, s2);
            s3 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref w3, (nuint)start), xv, s3);
        }
        a = Vector256.Sum(s0); b = Vector256.Sum(s1); c = Vector256.Sum(s2); d = Vector256.Sum(s3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot512(ref float w, ref float x, int cols)
    {
        const int n = 16;
        Vector512<float> s = default;
        int i = 0;
        for (; i + n <= cols; i += n)
            s = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref w, (nuint)i), Vector512.LoadUnsafe(ref x, (nuint)i), s);
        if (i < cols)
        {
            int start = cols - n;
            var mask = Vector512.GreaterThanOrEqual(Vector512<int>.Indices, Vector512.Create(i - start)).AsSingle();
            var xv = Vector512.ConditionalSelect(mask, Vector512.LoadUnsafe(ref x, (nuint)start), default);
            s = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref w, (nuint)start), xv, s);
        }
        return Vector512.Sum(s);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot256(ref float w, ref float x, int cols)
    {
        const int n = 8;
        Vector256<float> s = default;
        int i = 0;
        for (; i + n <= cols; i += n)
            s = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref w, (nuint)i), Vector256.LoadUnsafe(ref x, (nuint)i), s);
        if (i < cols)
        {
            int start = cols - n;
            var mask = Vector256.GreaterThanOrEqual(Vector256<int>.Indices, Vector256.Create(i - start)).AsSingle();
            var xv = Vector256.ConditionalSelect(mask, Vector256.LoadUnsafe(ref x, (nuint)start), default);
            s = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref w, (nuint)start), xv, s);
        }
        return Vector256.Sum(s);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot128(ref float w, ref float x, int cols)
    {
        const int n = 4;
        Vector128<float> s = default;
        int i = 0;
        for (; i + n <= cols; i += n)
            s = Vector128.FusedMultiplyAdd(Vector128.LoadUnsafe(ref w, (nuint)i), Vector128.LoadUnsafe(ref x, (nuint)i), s);
        if (i < cols)
        {
            int start = cols - n;
            var mask = Vector128.GreaterThanOrEqual(Vector128<int>.Indices, Vector128.Create(i - start)).AsSingle();
            var xv = Vector128.ConditionalSelect(mask, Vector128.LoadUnsafe(ref x, (nuint)start), default);
            s = Vector128.FusedMultiplyAdd(Vector128.LoadUnsafe(ref w, (nuint)start), xv, s);
        }
        return Vector128.Sum(s);
    }

    private static float DotScalar(ref float w, ref float x, int cols)
    {
        float s = 0;
        for (int i = 0; i < cols; i++) s = MathF.FusedMultiplyAdd(Unsafe.Add(ref w, i), Unsafe.Add(ref x, i), s);
        return s;
    }
}
