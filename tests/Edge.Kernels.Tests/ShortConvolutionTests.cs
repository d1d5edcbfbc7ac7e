using Edge.Kernels;

namespace Edge.Kernels.Tests;

public class ShortConvolutionTests
{
    public static IEnumerable<object[]> Paths() => SimdPaths.Available().Select(p => new object[] { (int)p });

    private static float[] Random(Random rng, int n)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)(rng.NextDouble() * 2 - 1);
        return a;
    }

    // The straightforward form: per channel, shift the ring left by one, put x last, dot it with the taps (in double).
    private static void Reference(double[] ring, float[] weight, double[] x, int taps)
    {
        for (int c = 0; c < x.Length; c++)
        {
            for (int j = 0; j + 1 < taps; j++) ring[c * taps + j] = ring[c * taps + j + 1];
            ring[c * taps + taps - 1] = x[c];
            double sum = 0;
            for (int j = 0; j < taps; j++) sum += ring[c * taps + j] * weight[c * taps + j];
            x[c] = sum;
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Every_simd_path_matches_the_scalar_reference_for_channels_1_to_70_and_taps_1_to_5_over_six_steps(int pathBits)
    {
        var path = (SimdPath)pathBits;
        var rng = new Random(5);
        for (int taps = 1; taps <= 5; taps++)
        {
            for (int channels = 1; channels <= 70; channels++)
            {
                var ring = Random(rng, channels * taps);
                var weight = Random(rng, channels * taps);
                var expectedRing = ring.Select(v => (double)v).ToArray();
                for (int step = 0; step < 6; step++)
                {
                    var x = Random(rng, channels);
                    var expected = x.Select(v => (double)v).ToArray();
                    ShortConvolution.Step(ring, weight, x, taps, path);
                    Reference(expectedRing, weight, expected, taps);
                    // The ring only moves values: exact.
                    for (int i = 0; i < ring.Length; i++)
                        Assert.True(ring[i] == (float)expectedRing[i], $"path {path} taps {taps} channels {channels} step {step} ring[{i}]: {ring[i]} vs {expectedRing[i]}");
                    for (int c = 0; c < channels; c++)
                        Assert.True(Math.Abs(x[c] - expected[c]) < 1e-6, $"path {path} taps {taps} channels {channels} step {step} x[{c}]: {x[c]} vs {expected[c]}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void With_four_taps_every_simd_path_matches_the_reference_for_channels_1_to_256_and_moves_each_ring_exactly_once(int pathBits)
    {
        // Channels that are not a whole number of vectors end in a block overlapping the previous one; a ring
        // shifted twice there would show here as a ring value one step ahead.
        var path = (SimdPath)pathBits;
        var rng = new Random(9);
        for (int channels = 1; channels <= 256; channels++)
        {
            var ring = Random(rng, channels * 4);
            var weight = Random(rng, channels * 4);
            var expectedRing = ring.Select(v => (double)v).ToArray();
            for (int step = 0; step < 2; step++)
            {
                var x = Random(rng, channels);
                var expected = x.Select(v => (double)v).ToArray();
                ShortConvolution.Step(ring, weight, x, 4, path);
                Reference(expectedRing, weight, expected, 4);
                for (int i = 0; i < ring.Length; i++)
                    Assert.True(ring[i] == (float)expectedRing[i], $"path {path} channels {channels} step {step} ring[{i}]: {ring[i]} vs {expectedRing[i]}");
                for (int c = 0; c < channels; c++)
                    Assert.True(Math.Abs(x[c] - expected[c]) < 1e-6, $"path {path} channels {channels} step {step} x[{c}]: {x[c]} vs {expected[c]}");
            }
        }
    }

    [Fact]
    public void With_four_taps_every_path_gives_the_same_bits()
    {
        var rng = new Random(8);
        const int channels = 70;
        var ring0 = Random(rng, channels * 4);
        var weight = Random(rng, channels * 4);
        var inputs = Enumerable.Range(0, 5).Select(_ => Random(rng, channels)).ToArray();
        float[]? first = null;
        foreach (var path in SimdPaths.Available())
        {
            var ring = (float[])ring0.Clone();
            var outputs = new List<float>();
            foreach (var input in inputs)
            {
                var x = (float[])input.Clone();
                ShortConvolution.Step(ring, weight, x, 4, path);
                outputs.AddRange(x);
            }
            outputs.AddRange(ring);
            if (first is null) first = outputs.ToArray();
            else Assert.Equal(first, outputs.ToArray());
        }
    }

    [Fact]
    public void Wrong_lengths_no_taps_and_overlaps_are_refused()
    {
        var ring = new float[12];
        var w = new float[12];
        Assert.Throws<ArgumentOutOfRangeException>(() => ShortConvolution.Step(ring, w, new float[3], 0));
        Assert.Throws<ArgumentException>(() => ShortConvolution.Step(ring, w, new float[4], 4));
        Assert.Throws<ArgumentException>(() => ShortConvolution.Step(ring, new float[8], new float[3], 4));
        Assert.Throws<ArgumentException>(() => ShortConvolution.Step(ring, w, ring.AsSpan(0, 3), 4));
        Assert.Throws<ArgumentException>(() => ShortConvolution.Step(ring, w, w.AsSpan(9, 3), 4));
    }
}
