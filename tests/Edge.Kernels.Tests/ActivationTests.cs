using Edge.Kernels;

namespace Edge.Kernels.Tests;

public class ActivationTests
{
    private static float[] Inputs(int n, Random rng) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 20 - 10)).ToArray();

    [Fact]
    public void GeluTanh_matches_the_tanh_formula_in_double_for_lengths_1_to_300_and_in_place()
    {
        var rng = new Random(5);
        foreach (int n in Enumerable.Range(1, 300))
        {
            var x = Inputs(n, rng);
            var y = new float[n];
            GeluTanh.Apply(x, y);
            for (int i = 0; i < n; i++)
            {
                double v = x[i];
                double expected = 0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
                Assert.True(Math.Abs(y[i] - expected) <= 2e-6 * Math.Max(1, Math.Abs(expected)), $"x {v}: {y[i]} vs {expected}");
            }
            GeluTanh.Apply(x, x);
            Assert.Equal(y, x);
        }
    }

    [Fact]
    public void Silu_matches_x_sigmoid_x_and_relu_clamps_at_zero()
    {
        var rng = new Random(6);
        foreach (int n in new[] { 1, 7, 8, 31, 128, 129, 300 })
        {
            var x = Inputs(n, rng);
            var s = new float[n];
            var r = new float[n];
            Silu.Apply(x, s);
            Relu.Apply(x, r);
            for (int i = 0; i < n; i++)
            {
                double v = x[i];
                Assert.True(Math.Abs(s[i] - v / (1 + Math.Exp(-v))) <= 2e-6 * Math.Max(1, Math.Abs(v)), $"silu {v}: {s[i]}");
                Assert.Equal(Math.Max(x[i], 0f), r[i]);
            }
        }
    }

    [Fact]
    public void Mismatched_lengths_are_refused()
    {
        Assert.Throws<ArgumentException>(() => GeluTanh.Apply(new float[3], new float[4]));
        Assert.Throws<ArgumentException>(() => Silu.Apply(new float[3], new float[2]));
        Assert.Throws<ArgumentException>(() => Relu.Apply(new float[3], new float[2]));
    }
}
