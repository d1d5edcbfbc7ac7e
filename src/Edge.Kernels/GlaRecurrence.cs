using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Edge.Kernels;

/// <summary>
/// One step of gated linear attention for one head, in a single pass over the state:
/// <c>S[i,:] ← decay[i]·S[i,:] + k[i]·v</c> (decay first, then the new key-value outer product) and
/// <c>o = Σ_i q[i]·S[i,:]</c> with the updated state. <c>S</c> is row-major <c>[K, V]</c>.
/// </summary>
public static class GlaRecurrence
{
    /// <summary>Updates <paramref name="state"/> in place and writes the head's output.</summary>
    /// <param name="state">Row-major <c>[K, V]</c> state, K = <paramref name="decay"/>.Length, V = <paramref name="v"/>.Length.</param>
    /// <param name="decay">Per-row decay α (K values, usually in (0, 1]).</param>
    /// <param name="k">Key (K values).</param>
    /// <param name="v">Value (V values).</param>
    /// <param name="q">Query (K values), already scaled.</param>
    /// <param name="o">Output (V values), overwritten; must not overlap the other arguments.</param>
    public static void Step(Span<float> state, ReadOnlySpan<float> decay, ReadOnlySpan<float> k, ReadOnlySpan<float> v, ReadOnlySpan<float> q, Span<float> o)
    {
        Check(state, decay, k, v, q, o);
        Core(state, decay, k, v, q, o, SimdPaths.Best);
    }

    /// <summary>As the public Step, on a chosen SIMD path, so tests can check every path on one machine.</summary>
    internal static void Step(Span<float> state, ReadOnlySpan<float> decay, ReadOnlySpan<float> k, ReadOnlySpan<float> v, ReadOnlySpan<float> q, Span<float> o, SimdPath path)
    {
        Check(state, decay, k, v, q, o);
        Core(state, decay, k, v, q, o, path);
    }

    private static void Check(Span<float> state, ReadOnlySpan<float> decay, ReadOnlySpan<float> k, ReadOnlySpan<float> v, ReadOnlySpan<float> q, Span<float> o)
    {
        int rows = decay.Length, cols = v.Length;
        if (k.Length != rows) Throw.Length(nameof(k), rows, k.Length);
        if (q.Length != rows) Throw.Length(nameof(q), rows, q.Length);
        if (o.Length != cols) Throw.Length(nameof(o), cols, o.Length);
        if ((long)rows * cols != state.Length) Throw.Length(nameof(state), (long)rows * cols, state.Length);
        if (o.Overlaps(state)) Throw.Overlap(nameof(o), nameof(state));
        if (o.Overlaps(v)) Throw.Overlap(nameof(o), nameof(v));
        if (o.Overlaps(q)) Throw.Overlap(nameof(o), nameof(q));
        if (o.Overlaps(k)) Throw.Overlap(nameof(o), nameof(k));
        if (o.Overlaps(decay)) Throw.Overlap(nameof(o), nameof(decay));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Core(Span<float> state, ReadOnlySpan<float> decay, ReadOnlySpan<float> k, ReadOnlySpan<float> v, ReadOnlySpan<float> q, Span<float> o, SimdPath path)
    {
        int rows = decay.Length, cols = v.Length;
        o.Clear();
        if (cols == 0) return;
        ref float s0 = ref MemoryMarshal.GetReference(state);
        ref float vr = ref MemoryMarshal.GetReference(v);
        ref float or = ref MemoryMarshal.GetReference(o);
        for (int i = 0; i < rows; i++)
        {
            ref float s = ref Unsafe.Add(ref s0, (nint)i * cols);
            float a = decay[i], ki = k[i], qi = q[i];
            if (path >= SimdPath.V512 && cols >= Vector512<float>.Count) Row<Width512, Vector512<float>>(ref s, ref vr, ref or, cols, a, ki, qi);
            else if (path >= SimdPath.V256 && cols >= Vector256<float>.Count) Row<Width256, Vector256<float>>(ref s, ref vr, ref or, cols, a, ki, qi);
            else if (path >= SimdPath.V128 && cols >= Vector128<float>.Count) Row<Width128, Vector128<float>>(ref s, ref vr, ref or, cols, a, ki, qi);
            else RowScalar(ref s, ref vr, ref or, cols, a, ki, qi);
        }
    }

    // The last vector of a row overlaps the previous one. The state and the output are updated in place, so an
    // overlapping re-write would apply the update twice: the already-updated lanes are masked out of both the
    // state store (they keep the value just written) and the output sum (already counted).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row<TWidth, TVector>(ref float s, ref float v, ref float o, int cols, float a, float k, float q)
        where TWidth : IVectorWidth<TVector>
        where TVector : struct
    {
        nuint n = (nuint)cols, step = (nuint)TWidth.Count;
        var av = TWidth.Broadcast(a); var kv = TWidth.Broadcast(k); var qv = TWidth.Broadcast(q);
        nuint j = 0;
        for (; j + step <= n; j += step)
        {
            var sn = TWidth.FusedMultiplyAdd(av, TWidth.Load(ref s, j), TWidth.Multiply(kv, TWidth.Load(ref v, j)));
            TWidth.Store(sn, ref s, j);
            TWidth.Store(TWidth.FusedMultiplyAdd(qv, sn, TWidth.Load(ref o, j)), ref o, j);
        }
        if (j < n)
        {
            nuint start = n - step;
            var fresh = TWidth.LanesFrom((int)(j - start));
            var old = TWidth.Load(ref s, start);
            var sn = TWidth.FusedMultiplyAdd(av, old, TWidth.Multiply(kv, TWidth.Load(ref v, start)));
            TWidth.Store(TWidth.Select(fresh, sn, old), ref s, start);
            var add = TWidth.Select(fresh, TWidth.Multiply(qv, sn), default);
            TWidth.Store(TWidth.Add(TWidth.Load(ref o, start), add), ref o, start);
        }
    }

    private static void RowScalar(ref float s, ref float v, ref float o, int cols, float a, float k, float q)
    {
        for (int j = 0; j < cols; j++)
        {
            ref float sj = ref Unsafe.Add(ref s, j);
            sj = MathF.FusedMultiplyAdd(a, sj, k * Unsafe.Add(ref v, j));
            Unsafe.Add(ref o, j) = MathF.FusedMultiplyAdd(q, sj, Unsafe.Add(ref o, j));
        }
    }
}
