using Edge.Kernels;

namespace Edge.Kernels.Tests;

public class SiluTests
{
    // SiLU is TensorPrimitives' sigmoid times x, on the width TensorPrimitives picks; CI reruns this test with
    // the runtime's SIMD switches off one by one to cover the narrower widths.
    [Fact]
    public void Matches_x_sigmoid_x_in_double_for_lengths_1_to_256()
    {
        var rng = new Random(23);
        for (int n = 1; n <= 256; n++)
        {
            var x = new float[n];
            for (int i = 0; i < n; i++) x[i] = i % 5 == 0 ? (float)(rng.NextDouble() * 200 - 100) : (float)(rng.NextDouble() * 16 - 8);
            var y = new float[n];
            Silu.Apply(x, y);
            for (int i = 0; i < n; i++)
            {
                double v = x[i];
                double want = v / (1 + Math.Exp(-v));
                // A few float ulps of the result; below x ≈ −88.7 float exp(−x) overflows and the value is −0 (true value under 3e-37).
                Assert.True(Math.Abs(y[i] - want) <= 1e-6 * Math.Abs(want) + 3e-37, $"n {n} x {v:R}: {y[i]:R} vs {want:R}");
            }
        }
    }

    [Fact]
    public void Large_inputs_pass_through_and_large_negative_ones_go_to_zero()
    {
        var y = new float[5];
        Silu.Apply([100f, -100f, 0f, 20f, -20f], y);
        Assert.Equal(100f, y[0]);
        Assert.True(y[1] <= 0 && y[1] > -1e-30f);
        Assert.Equal(0f, y[2]);
        Assert.Equal(20f, y[3], 5);
        Assert.Equal(-20 / (1 + Math.Exp(20)), y[4], 9);
    }
}
