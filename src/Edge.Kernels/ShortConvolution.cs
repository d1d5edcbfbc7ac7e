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
/// channels at once; other tap counts and the last channels run a scalar loop. Every path sums the four
/// taps as <c>(p0 + p1) + (p2 + p3)</c>, so with four taps all paths give identical results.
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
        int done = 0;
        if (taps == 4)
        {
            if (path >= SimdPath.V512) done = Taps4x512(ref r, ref w, ref xr, channels);
            else if (path >= SimdPath.V256) done = Taps4x256(ref r, ref w, ref xr, channels);
            else if (path >= SimdPath.V128) done = Taps4x128(ref r, ref w, ref xr, channels);
        }
        if (done < channels) Scalar(ref r, ref w, ref xr, done, channels, taps);
    }

    private static void Scalar(ref float r, ref float w, ref float x, int from, int channels, int taps)
    {
        for (int c = from; c < channels; c++)
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

    // Sixteen channels per iteration: four ring vectors of four channels each. Shift: lane i takes lane
    // i + 1, except the newest lane of each channel (4k + 3), which takes x. Sum: two swap-and-add rounds
    // leave each channel's total in all four of its lanes; lane 4k + m is then taken from vector m (that is
    // channel 4m + k) and one permute puts channel i at lane i. Returns the channels done.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Taps4x512(ref float r, ref float w, ref float x, int channels)
    {
        var shift = Vector512.Create(1, 2, 3, 3, 5, 6, 7, 7, 9, 10, 11, 11, 13, 14, 15, 15);
        var newest = Vector512.Equals(Vector512<int>.Indices & Vector512.Create(3), Vector512.Create(3)).AsSingle();
        var x0 = Vector512.Create(0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3);
        var x1 = x0 + Vector512.Create(4);
        var x2 = x0 + Vector512.Create(8);
        var x3 = x0 + Vector512.Create(12);
        var pairs = Vector512.Create(1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14);
        var halves = Vector512.Create(2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13);
        var lane = Vector512<int>.Indices & Vector512.Create(3);
        var from0 = Vector512.Equals(lane, Vector512<int>.Zero).AsSingle();
        var from1 = Vector512.Equals(lane, Vector512.Create(1)).AsSingle();
        var from2 = Vector512.Equals(lane, Vector512.Create(2)).AsSingle();
        var order = Vector512.Create(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
        int c = 0;
        for (; c + 16 <= channels; c += 16)
        {
            ref float rc = ref Unsafe.Add(ref r, (nint)c * 4);
            ref float wc = ref Unsafe.Add(ref w, (nint)c * 4);
            var xv = Vector512.LoadUnsafe(ref x, (nuint)c);
            var s0 = Sum4(Shift(ref rc, 0, xv, x0, shift, newest) * Vector512.LoadUnsafe(ref wc), pairs, halves);
            var s1 = Sum4(Shift(ref rc, 16, xv, x1, shift, newest) * Vector512.LoadUnsafe(ref wc, 16), pairs, halves);
            var s2 = Sum4(Shift(ref rc, 32, xv, x2, shift, newest) * Vector512.LoadUnsafe(ref wc, 32), pairs, halves);
            var s3 = Sum4(Shift(ref rc, 48, xv, x3, shift, newest) * Vector512.LoadUnsafe(ref wc, 48), pairs, halves);
            var mixed = Vector512.ConditionalSelect(from0, s0,
                Vector512.ConditionalSelect(from1, s1, Vector512.ConditionalSelect(from2, s2, s3)));
            Vector512.Shuffle(mixed, order).StoreUnsafe(ref x, (nuint)c);
        }
        return c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Shift(ref float ring, nuint offset, Vector512<float> x, Vector512<int> xIndex, Vector512<int> shift, Vector512<float> newest)
    {
        var shifted = Vector512.ConditionalSelect(newest, Vector512.Shuffle(x, xIndex), Vector512.Shuffle(Vector512.LoadUnsafe(ref ring, offset), shift));
        shifted.StoreUnsafe(ref ring, offset);
        return shifted;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Sum4(Vector512<float> p, Vector512<int> pairs, Vector512<int> halves)
    {
        p += Vector512.Shuffle(p, pairs);
        return p + Vector512.Shuffle(p, halves);
    }

    // Eight channels per iteration: four ring vectors of two channels each (as Taps4x512).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Taps4x256(ref float r, ref float w, ref float x, int channels)
    {
        var shift = Vector256.Create(1, 2, 3, 3, 5, 6, 7, 7);
        var newest = Vector256.Equals(Vector256<int>.Indices & Vector256.Create(3), Vector256.Create(3)).AsSingle();
        var x0 = Vector256.Create(0, 0, 0, 0, 0, 0, 0, 1);
        var x1 = x0 + Vector256.Create(2);
        var x2 = x0 + Vector256.Create(4);
        var x3 = x0 + Vector256.Create(6);
        var pairs = Vector256.Create(1, 0, 3, 2, 5, 4, 7, 6);
        var halves = Vector256.Create(2, 3, 0, 1, 6, 7, 4, 5);
        var lane = Vector256<int>.Indices & Vector256.Create(3);
        var from0 = Vector256.Equals(lane, Vector256<int>.Zero).AsSingle();
        var from1 = Vector256.Equals(lane, Vector256.Create(1)).AsSingle();
        var from2 = Vector256.Equals(lane, Vector256.Create(2)).AsSingle();
        var order = Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7);
        int c = 0;
        for (; c + 8 <= channels; c += 8)
        {
            ref float rc = ref Unsafe.Add(ref r, (nint)c * 4);
            ref float wc = ref Unsafe.Add(ref w, (nint)c * 4);
            var xv = Vector256.LoadUnsafe(ref x, (nuint)c);
            var s0 = Sum4(Shift(ref rc, 0, xv, x0, shift, newest) * Vector256.LoadUnsafe(ref wc), pairs, halves);
            var s1 = Sum4(Shift(ref rc, 8, xv, x1, shift, newest) * Vector256.LoadUnsafe(ref wc, 8), pairs, halves);
            var s2 = Sum4(Shift(ref rc, 16, xv, x2, shift, newest) * Vector256.LoadUnsafe(ref wc, 16), pairs, halves);
            var s3 = Sum4(Shift(ref rc, 24, xv, x3, shift, newest) * Vector256.LoadUnsafe(ref wc, 24), pairs, halves);
            var mixed = Vector256.ConditionalSelect(from0, s0,
                Vector256.ConditionalSelect(from1, s1, Vector256.ConditionalSelect(from2, s2, s3)));
            Vector256.Shuffle(mixed, order).StoreUnsafe(ref x, (nuint)c);
        }
        return c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Shift(ref float ring, nuint offset, Vector256<float> x, Vector256<int> xIndex, Vector256<int> shift, Vector256<float> newest)
    {
        var shifted = Vector256.ConditionalSelect(newest, Vector256.Shuffle(x, xIndex), Vector256.Shuffle(Vector256.LoadUnsafe(ref ring, offset), shift));
        shifted.StoreUnsafe(ref ring, offset);
        return shifted;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Sum4(Vector256<float> p, Vector256<int> pairs, Vector256<int> halves)
    {
        p += Vector256.Shuffle(p, pairs);
        return p + Vector256.Shuffle(p, halves);
    }

    // Four channels per iteration, one per vector; the selected lanes are already in channel order.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Taps4x128(ref float r, ref float w, ref float x, int channels)
    {
        var shift = Vector128.Create(1, 2, 3, 3);
        var newest = Vector128.Equals(Vector128<int>.Indices, Vector128.Create(3)).AsSingle();
        var pairs = Vector128.Create(1, 0, 3, 2);
        var halves = Vector128.Create(2, 3, 0, 1);
        var from0 = Vector128.Equals(Vector128<int>.Indices, Vector128<int>.Zero).AsSingle();
        var from1 = Vector128.Equals(Vector128<int>.Indices, Vector128.Create(1)).AsSingle();
        var from2 = Vector128.Equals(Vector128<int>.Indices, Vector128.Create(2)).AsSingle();
        int c = 0;
        for (; c + 4 <= channels; c += 4)
        {
            ref float rc = ref Unsafe.Add(ref r, (nint)c * 4);
            ref float wc = ref Unsafe.Add(ref w, (nint)c * 4);
            var xv = Vector128.LoadUnsafe(ref x, (nuint)c);
            var s0 = Sum4(Shift(ref rc, 0, xv, Vector128.Create(0), shift, newest) * Vector128.LoadUnsafe(ref wc), pairs, halves);
            var s1 = Sum4(Shift(ref rc, 4, xv, Vector128.Create(1), shift, newest) * Vector128.LoadUnsafe(ref wc, 4), pairs, halves);
            var s2 = Sum4(Shift(ref rc, 8, xv, Vector128.Create(2), shift, newest) * Vector128.LoadUnsafe(ref wc, 8), pairs, halves);
            var s3 = Sum4(Shift(ref rc, 12, xv, Vector128.Create(3), shift, newest) * Vector128.LoadUnsafe(ref wc, 12), pairs, halves);
            Vector128.ConditionalSelect(from0, s0, Vector128.ConditionalSelect(from1, s1, Vector128.ConditionalSelect(from2, s2, s3)))
                .StoreUnsafe(ref x, (nuint)c);
        }
        return c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Shift(ref float ring, nuint offset, Vector128<float> x, Vector128<int> xIndex, Vector128<int> shift, Vector128<float> newest)
    {
        var shifted = Vector128.ConditionalSelect(newest, Vector128.Shuffle(x, xIndex), Vector128.Shuffle(Vector128.LoadUnsafe(ref ring, offset), shift));
        shifted.StoreUnsafe(ref ring, offset);
        return shifted;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Sum4(Vector128<float> p, Vector128<int> pairs, Vector128<int> halves)
    {
        p += Vector128.Shuffle(p, pairs);
        return p + Vector128.Shuffle(p, halves);
    }
}
