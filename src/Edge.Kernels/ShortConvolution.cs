using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Edge.Kernels;

/// <summary>
/// One step of a depthwise causal convolution kept as a ring of its last inputs per channel (fla's
/// <c>ShortConvolution</c> in recurrent mode, activation not included): per channel <c>c</c>,
/// <c>ring[c] ← [ring[c][1:], x[c]]</c> (oldest first, newest last), then <c>x[c] ← Σ_j ring[c][j]·weight[c][j]</c>.
/// Ring and weights are channel-major <c>[C, taps]</c>. With four taps a vector holds whole channels
/// (4 per Vector512): the shift is a lane permute and the tap sums are done for a vector's worth of
/// channels at once, the last channels in an overlapping, masked block; other tap counts (and fewer than four
/// channels) run a scalar loop. Every path sums the four taps as <c>(p0 + p1) + (p2 + p3)</c>, so with four
/// taps all paths give identical results.
/// </summary>
public static class ShortConvolution
{
    /// <summary>Shifts <paramref name="x"/> into the rings and replaces it with the convolution output.</summary>
    /// <param name="ring">Channel-major <c>[C, taps]</c> inputs, oldest first; updated in place.</param>
    /// <param name="weight">Channel-major <c>[C, taps]</c> taps, applied oldest to newest.</param>
    /// <param name="x">The C new inputs; overwritten with the outputs. Must not overlap the other arguments.</param>
    /// <param name="taps">Taps per channel (at least 1).</param>
    public static void Step(Span<float> ring, ReadOnlySpan<float> weight, Span<float> x, int taps)
    {
        Check(ring, weight, x, taps);
        Core(ring, weight, x, taps, SimdPaths.Best);
    }

    /// <summary>As the public Step, on a chosen SIMD path, so tests can check every path on one machine.</summary>
    internal static void Step(Span<float> ring, ReadOnlySpan<float> weight, Span<float> x, int taps, SimdPath path)
    {
        Check(ring, weight, x, taps);
        Core(ring, weight, x, taps, path);
    }

    private static void Check(Span<float> ring, ReadOnlySpan<float> weight, Span<float> x, int taps)
    {
        if (taps < 1) throw new ArgumentOutOfRangeException(nameof(taps), taps, "a convolution needs at least one tap.");
        long length = (long)x.Length * taps;
        if (ring.Length != length) Throw.Length(nameof(ring), length, ring.Length);
        if (weight.Length != length) Throw.Length(nameof(weight), length, weight.Length);
        if (x.Overlaps(ring)) Throw.Overlap(nameof(x), nameof(ring));
        if (x.Overlaps(weight)) Throw.Overlap(nameof(x), nameof(weight));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Core(Span<float> ring, ReadOnlySpan<float> weight, Span<float> x, int taps, SimdPath path)
    {
        int channels = x.Length;
        ref float r = ref MemoryMarshal.GetReference(ring);
        ref float w = ref MemoryMarshal.GetReference(weight);
        ref float xr = ref MemoryMarshal.GetReference(x);
        if (taps == 4 && path >= SimdPath.V512 && channels >= Vector512<float>.Count) FourTaps<Width512, Vector512<float>>(ref r, ref w, ref xr, channels);
        else if (taps == 4 && path >= SimdPath.V256 && channels >= Vector256<float>.Count) FourTaps<Width256, Vector256<float>>(ref r, ref w, ref xr, channels);
        else if (taps == 4 && path >= SimdPath.V128 && channels >= Vector128<float>.Count) FourTaps<Width128, Vector128<float>>(ref r, ref w, ref xr, channels);
        else Scalar(ref r, ref w, ref xr, channels, taps);
    }

    private static void Scalar(ref float r, ref float w, ref float x, int channels, int taps)
    {
        for (int c = 0; c < channels; c++)
        {
            ref float rc = ref Unsafe.Add(ref r, (nint)c * taps);
            ref float wc = ref Unsafe.Add(ref w, (nint)c * taps);
            for (int j = 0; j + 1 < taps; j++) Unsafe.Add(ref rc, j) = Unsafe.Add(ref rc, j + 1);
            Unsafe.Add(ref rc, taps - 1) = Unsafe.Add(ref x, c);
            float sum;
            if (taps == 4)
            {
                // The vector paths' order: adjacent pairs first.
                sum = (rc * wc + Unsafe.Add(ref rc, 1) * Unsafe.Add(ref wc, 1))
                    + (Unsafe.Add(ref rc, 2) * Unsafe.Add(ref wc, 2) + Unsafe.Add(ref rc, 3) * Unsafe.Add(ref wc, 3));
            }
            else
            {
                sum = 0;
                for (int j = 0; j < taps; j++) sum += Unsafe.Add(ref rc, j) * Unsafe.Add(ref wc, j);
            }
            Unsafe.Add(ref x, c) = sum;
        }
    }

    // A vector's worth of channels per block (Count of them): four ring vectors of Count / 4 channels each.
    // Shift: lane i takes lane i + 1, except the newest lane of each channel (4k + 3), which takes x. Sum: two
    // swap-and-add rounds leave each channel's total in all four of its lanes; lane 4k + m is then taken from
    // ring vector m and one permute puts channel i at lane i. The last block overlaps the one before it; the ring
    // and x are both updated in place, so the channels it shares keep their stored values (masked), as a second
    // shift would push their rings on by one more input.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FourTaps<TWidth, TVector>(ref float r, ref float w, ref float x, int channels)
        where TWidth : IVectorWidth<TVector>
        where TVector : struct
    {
        var shift = FourTapLanes<TWidth, TVector>.Shift;
        var newest = FourTapLanes<TWidth, TVector>.Newest;
        var x0 = FourTapLanes<TWidth, TVector>.X0;
        var x1 = FourTapLanes<TWidth, TVector>.X1;
        var x2 = FourTapLanes<TWidth, TVector>.X2;
        var x3 = FourTapLanes<TWidth, TVector>.X3;
        var pairs = FourTapLanes<TWidth, TVector>.Pairs;
        var halves = FourTapLanes<TWidth, TVector>.Halves;
        var from0 = FourTapLanes<TWidth, TVector>.From0;
        var from1 = FourTapLanes<TWidth, TVector>.From1;
        var from2 = FourTapLanes<TWidth, TVector>.From2;
        var order = FourTapLanes<TWidth, TVector>.Order;
        int count = TWidth.Count;
        int c = 0;
        for (; c + count <= channels; c += count)
            Block<TWidth, TVector>(ref r, ref w, ref x, c, 0, shift, newest, x0, x1, x2, x3, pairs, halves, from0, from1, from2, order);
        if (c < channels)
        {
            int start = channels - count;
            Block<TWidth, TVector>(ref r, ref w, ref x, start, c - start, shift, newest, x0, x1, x2, x3, pairs, halves, from0, from1, from2, order);
        }
    }

    // One block from channel c; its first `skip` channels are already done and keep their ring and output.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block<TWidth, TVector>(ref float r, ref float w, ref float x, int c, int skip,
        TVector shift, TVector newest, TVector x0, TVector x1, TVector x2, TVector x3,
        TVector pairs, TVector halves, TVector from0, TVector from1, TVector from2, TVector order)
        where TWidth : IVectorWidth<TVector>
        where TVector : struct
    {
        nuint n = (nuint)TWidth.Count;
        int perVector = TWidth.Count / 4;
        ref float rc = ref Unsafe.Add(ref r, (nint)c * 4);
        ref float wc = ref Unsafe.Add(ref w, (nint)c * 4);
        var xv = TWidth.Load(ref x, (nuint)c);
        var s0 = Sum4<TWidth, TVector>(TWidth.Multiply(Shift<TWidth, TVector>(ref rc, 0, xv, x0, shift, newest, skip), TWidth.Load(ref wc, 0)), pairs, halves);
        var s1 = Sum4<TWidth, TVector>(TWidth.Multiply(Shift<TWidth, TVector>(ref rc, n, xv, x1, shift, newest, skip - perVector), TWidth.Load(ref wc, n)), pairs, halves);
        var s2 = Sum4<TWidth, TVector>(TWidth.Multiply(Shift<TWidth, TVector>(ref rc, 2 * n, xv, x2, shift, newest, skip - 2 * perVector), TWidth.Load(ref wc, 2 * n)), pairs, halves);
        var s3 = Sum4<TWidth, TVector>(TWidth.Multiply(Shift<TWidth, TVector>(ref rc, 3 * n, xv, x3, shift, newest, skip - 3 * perVector), TWidth.Load(ref wc, 3 * n)), pairs, halves);
        var mixed = TWidth.Select(from0, s0, TWidth.Select(from1, s1, TWidth.Select(from2, s2, s3)));
        // With one channel per ring vector (Vector128) the lanes are already in channel order.
        var y = TWidth.Count > 4 ? TWidth.Shuffle(mixed, order) : mixed;
        if (skip > 0) y = TWidth.Select(TWidth.LanesFrom(skip), y, xv);
        TWidth.Store(y, ref x, (nuint)c);
    }

    // Shifts one ring vector; `skip` counts its leading channels that are already done (none when ≤ 0).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Shift<TWidth, TVector>(ref float ring, nuint offset, TVector x, TVector xIndex, TVector shift, TVector newest, int skip)
        where TWidth : IVectorWidth<TVector>
        where TVector : struct
    {
        var old = TWidth.Load(ref ring, offset);
        var shifted = TWidth.Select(newest, TWidth.Shuffle(x, xIndex), TWidth.Shuffle(old, shift));
        TWidth.Store(skip > 0 ? TWidth.Select(TWidth.LanesFrom(4 * skip), shifted, old) : shifted, ref ring, offset);
        return shifted;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Sum4<TWidth, TVector>(TVector p, TVector pairs, TVector halves)
        where TWidth : IVectorWidth<TVector>
        where TVector : struct
    {
        p = TWidth.Add(p, TWidth.Shuffle(p, pairs));
        return TWidth.Add(p, TWidth.Shuffle(p, halves));
    }

    // The lane constants of the four-tap blocks for one width, built once from its lane count.
    private static class FourTapLanes<TWidth, TVector>
        where TWidth : IVectorWidth<TVector>
        where TVector : struct
    {
        private static readonly int PerVector = TWidth.Count / 4;
        public static readonly TVector Shift = Lanes(i => (i & 3) == 3 ? i : i + 1);
        public static readonly TVector Newest = Lanes(i => (i & 3) == 3 ? -1 : 0);
        public static readonly TVector X0 = Lanes(i => i >> 2);
        public static readonly TVector X1 = Lanes(i => PerVector + (i >> 2));
        public static readonly TVector X2 = Lanes(i => 2 * PerVector + (i >> 2));
        public static readonly TVector X3 = Lanes(i => 3 * PerVector + (i >> 2));
        public static readonly TVector Pairs = Lanes(i => i ^ 1);
        public static readonly TVector Halves = Lanes(i => i ^ 2);
        public static readonly TVector From0 = Lanes(i => (i & 3) == 0 ? -1 : 0);
        public static readonly TVector From1 = Lanes(i => (i & 3) == 1 ? -1 : 0);
        public static readonly TVector From2 = Lanes(i => (i & 3) == 2 ? -1 : 0);
        public static readonly TVector Order = Lanes(i => 4 * (i % PerVector) + i / PerVector);

        private static TVector Lanes(Func<int, int> lane)
        {
            var values = new int[TWidth.Count];
            for (int i = 0; i < values.Length; i++) values[i] = lane(i);
            return TWidth.FromInt32(values);
        }
    }
}
