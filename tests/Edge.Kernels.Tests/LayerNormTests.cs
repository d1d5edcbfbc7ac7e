using Edge.Kernels;

namespace Edge.Kernels.Tests;

public class LayerNormTests
{
    [Fact]
    public void Matches_double_reference_for_every_length_1_to_256_also_in_place_and_with_a_large_offset()
    {
        var rng = new Random(3);
        foreach (int n in Enumerable.Range(1, 256))
        {
            float offset = n % 3 == 0 ? 1000f : 0f;   // mean far from zero: the variance must not cancel away
            var x = Enumerable.Range(0, n).Select(_ => offset + (float)(rng.NextDouble() * 4 - 2)).ToArray();
            var w = Enumerable.Range(0, n).Select(_ => (float)(1 + rng.NextDouble() - 0.5)).ToArray();
            var b = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
            double mean = x.Average(v => (double)v);
            double var = x.Average(v => ((double)v - mean) * ((double)v - mean));
            var expected = x.Select((v, i) => (v - mean) / Math.Sqrt(var + 1e-5) * w[i] + b[i]).ToArray();
            var y = new float[n];
            LayerNorm.Normalize(x, w, b, 1e-5f, y);
            LayerNorm.Normalize(x, w, b, 1e-5f, x);   // in place
            for (int i = 0; i < n; i++)
            {
                Assert.True(Math.Abs(y[i] - expected[i]) <= 2e-4, $"n {n} i {i}: {y[i]} vs {expected[i]}");
                Assert.Equal(y[i], x[i]);
            }
        }
    }

    [Fact]
    public void A_constant_vector_normalizes_to_the_bias()
    {
        var x = Enumerable.Repeat(7.5f, 33).ToArray();
        var w = Enumerable.Repeat(2f, 33).ToArray();
        var b = Enumerable.Range(0, 33).Select(i => i * 0.1f).ToArray();
        var y = new float[33];
        LayerNorm.Normalize(x, w, b, 1e-5f, y);
        for (int i = 0; i < 33; i++) Assert.Equal(b[i], y[i], 1e-6);
    }

    [Fact]
    public void Wrong_lengths_and_partial_overlap_are_refused()
    {
        var buf = new float[10];
        Assert.Throws<ArgumentException>(() => LayerNorm.Normalize(new float[4], new float[3], new float[4], 1e-5f, new float[4]));
        Assert.Throws<ArgumentException>(() => LayerNorm.Normalize(buf.AsSpan(0, 5), new float[5], new float[5], 1e-5f, buf.AsSpan(1, 5)));
    }
}
