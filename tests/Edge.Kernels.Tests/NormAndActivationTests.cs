using Edge.Kernels;

namespace Edge.Kernels.Tests;

/// <summary>LayerNorm, RmsNorm, SiLU, log-sigmoid and softmax against double-precision formulas, lengths 1..256.</summary>
public class NormAndActivationTests
{
    private static float[] Random(Random rng, int n, float scale = 1f, float offset = 0f)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)((rng.NextDouble() * 2 - 1) * scale + offset);
        return a;
    }

    private static void Close(double expected, float actual, double tol, string what)
        => Assert.True(Math.Abs(expected - actual) <= tol * Math.Max(1, Math.Abs(expected)), $"{what}: {actual} vs {expected}");

    [Fact]
    public void LayerNorm_matches_biased_variance_formula_even_with_a_large_offset()
    {
        var rng = new Random(1);
        for (int n = 1; n <= 256; n++)
        {
            var x = Random(rng, n, 2f, offset: 100f);
            var w = Random(rng, n); var b = Random(rng, n);
            var y = new float[n];
            LayerNorm.Normalize(x, w, b, 1e-5f, y);
            double mean = x.Average(v => (double)v);
            double var = x.Average(v => (v - mean) * (v - mean));
            for (int i = 0; i < n; i++) Close((x[i] - mean) / Math.Sqrt(var + 1e-5) * w[i] + b[i], y[i], 2e-4, $"n {n} i {i}");
        }
    }

    [Fact]
    public void RmsNorm_matches_formula_and_runs_in_place()
    {
        var rng = new Random(2);
        for (int n = 1; n <= 256; n++)
        {
            var x = Random(rng, n, 3f);
            var w = Random(rng, n);
            double rms = Math.Sqrt(x.Average(v => (double)v * v) + 1e-6);
            var expected = x.Select((v, i) => v / rms * w[i]).ToArray();
            RmsNorm.Normalize(x, w, 1e-6f, x);
            for (int i = 0; i < n; i++) Close(expected[i], x[i], 1e-5, $"n {n} i {i}");
        }
    }

    [Fact]
    public void Silu_logsigmoid_and_softmax_match_double_formulas()
    {
        var rng = new Random(3);
        for (int n = 1; n <= 256; n++)
        {
            var x = Random(rng, n, 30f);
            var silu = new float[n]; var ls = new float[n]; var sm = new float[n];
            Silu.Apply(x, silu);
            LogSigmoid.Apply(x, ls);
            Softmax.Apply(x, sm);
            double max = x.Max(v => (double)v);
            double z = x.Sum(v => Math.Exp(v - max));
            for (int i = 0; i < n; i++)
            {
                double v = x[i];
                Close(v / (1 + Math.Exp(-v)), silu[i], 1e-5, $"silu n {n}");
                Close(Math.Min(v, 0) - Math.Log(1 + Math.Exp(-Math.Abs(v))), ls[i], 1e-5, $"logsigmoid n {n}");
                Assert.True(Math.Abs(Math.Exp(v - max) / z - sm[i]) < 1e-6, $"softmax n {n} i {i}");
            }
        }
    }

    [Fact]
    public void LogSigmoid_keeps_the_tail_and_softmax_survives_huge_scores()
    {
        var y = new float[3];
        LogSigmoid.Apply([-200f, 0f, 40f], y);
        Assert.Equal(-200f, y[0]);
        Assert.Equal(-MathF.Log(2f), y[1], 6);
        Assert.True(y[2] < 0 && y[2] > -1e-15f);
        var s = new float[3];
        Softmax.Apply([1e30f, 1e30f, -1e30f], s);
        Assert.Equal([0.5f, 0.5f, 0f], s);
    }

    [Fact]
    public void Length_mismatches_are_refused()
    {
        Assert.Throws<ArgumentException>(() => RmsNorm.Normalize(new float[3], new float[2], 1e-5f, new float[3]));
        Assert.Throws<ArgumentException>(() => Softmax.Apply(ReadOnlySpan<float>.Empty, Span<float>.Empty));
        Assert.Throws<ArgumentException>(() => LogSigmoid.Apply(new float[3], new float[4]));
    }
}
