using System.Runtime.CompilerServices;
using Edge.Kernels;

namespace Edge.Kernels.Tests;

/// <summary>
/// Subnormal (denormal) floats in the kernels. .NET runs with the MXCSR's flush-to-zero and denormals-are-zero bits
/// off, and Edge does not flush (on the AMD EPYC it was measured on, subnormals cost a step nothing: bench/README.md),
/// so every kernel must give IEEE gradual underflow: finite, never growing, the value the double-precision math
/// rounds to.
/// </summary>
public class SubnormalTests
{
    private const float Smallest = float.Epsilon; // 2^-149, the smallest subnormal

    public static IEnumerable<object[]> Paths() => SimdPaths.Available().Select(p => new object[] { (int)p });

    [Fact]
    public void The_runtime_keeps_subnormal_products_instead_of_flushing_them_to_zero()
    {
        float x = Volatile(1e-40f);
        Assert.True(float.IsSubnormal(x * Volatile(1f)));
        Assert.Equal(x, x * Volatile(1f));
        Assert.True(float.IsSubnormal(Volatile(1e-20f) * Volatile(1e-20f)));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void A_gla_state_decaying_on_a_zero_input_rounds_each_step_as_ieee_says_and_stays_finite(int pathBits)
    {
        // Three rows of 37 values (a masked last vector on every path): subnormals under gate 0.9, subnormals under
        // gate 0.5, and O(1) values under gate 0.9, stepped 300 times on a zero input (k = v = 0).
        var path = (SimdPath)pathBits;
        const int rows = 3, cols = 37;
        var rng = new Random(5);
        var state = new float[rows * cols];
        for (int j = 0; j < cols; j++)
        {
            state[j] = (float)((rng.NextDouble() * 2 - 1) * 1e-39);
            state[cols + j] = (float)((rng.NextDouble() * 2 - 1) * 1e-39);
            state[2 * cols + j] = (float)(rng.NextDouble() * 2 - 1);
        }
        float[] decay = [0.9f, 0.5f, 0.9f], k = new float[rows], v = new float[cols], q = [0.7f, -1.3f, 0.4f];
        var o = new float[cols];
        var expected = (float[])state.Clone();
        for (int step = 0; step < 300; step++)
        {
            GlaRecurrence.Step(state, decay, k, v, q, o, path);
            for (int i = 0; i < state.Length; i++)
            {
                // a·s + 0 with one rounding: the double product is exact, its cast to float is the FMA's rounding
                // (== leaves out only the sign of a zero, which the FMA's + 0 may flip).
                float before = expected[i];
                expected[i] = (float)(decay[i / cols] * (double)before);
                Assert.True(state[i] == expected[i],
                    $"path {path} step {step} S[{i}]: {state[i]:G9} vs {expected[i]:G9}");
                Assert.True(Math.Abs(state[i]) <= Math.Abs(before), $"S[{i}] grew at step {step}");
            }
            for (int j = 0; j < cols; j++)
            {
                double eo = 0, scale = 0;
                for (int i = 0; i < rows; i++)
                {
                    eo += q[i] * (double)state[i * cols + j];
                    scale += Math.Abs(q[i] * (double)state[i * cols + j]);
                }
                // Three float32 multiply-adds: a few ulps of the terms' magnitude, and rounding at 2^-149 once each.
                Assert.True(float.IsFinite(o[j]) && Math.Abs(o[j] - eo) <= 4e-7 * scale + 3 * Smallest,
                    $"path {path} step {step} o[{j}]: {o[j]:G9} vs {eo:G9}");
            }
        }
        // Gate 0.5 halves a subnormal to exactly zero within 23 steps; under gate 0.9 round-to-nearest stalls at
        // 4 × 2^-149 or below (0.9 · 4 ulp = 3.6 rounds back to 4), so a decaying state never quite reaches zero.
        for (int j = 0; j < cols; j++)
        {
            Assert.Equal(0f, Math.Abs(state[cols + j]));
            Assert.True(Math.Abs(state[j]) <= 4 * Smallest, $"S[{j}] = {state[j]:G9}");
        }
        Assert.Contains(state.Take(cols), s => s != 0);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Log_sigmoid_of_subnormal_inputs_is_minus_log_two(int pathBits)
    {
        var x = Enumerable.Range(0, 37).Select(i => (i % 2 == 0 ? 1 : -1) * (1 + i) * 1e-41f).ToArray();
        var y = new float[x.Length];
        LogSigmoid.Apply(x, y, (SimdPath)pathBits);
        foreach (float v in y) Assert.Equal(-Math.Log(2), v, 6e-8);
    }

    [Fact]
    public void Silu_and_gelu_of_subnormal_inputs_halve_them()
    {
        var x = Enumerable.Range(0, 37).Select(i => (i % 2 == 0 ? 1 : -1) * (1 + i) * 1e-41f).ToArray();
        var silu = new float[x.Length];
        var gelu = new float[x.Length];
        Silu.Apply(x, silu);
        GeluTanh.Apply(x, gelu);
        for (int i = 0; i < x.Length; i++)
        {
            // x·σ(x) and x·(1 + tanh(…))/2 are x/2 to far below one ulp of a subnormal.
            Assert.True(Math.Abs(silu[i] - x[i] / 2.0) <= Smallest, $"silu({x[i]:G9}) = {silu[i]:G9}");
            Assert.True(Math.Abs(gelu[i] - x[i] / 2.0) <= Smallest, $"gelu({x[i]:G9}) = {gelu[i]:G9}");
        }
    }

    [Fact]
    public void Softmax_weights_that_fall_into_the_subnormal_range_are_kept_and_sum_to_one()
    {
        // Scores 90-97 below the largest: weights e^-90..e^-97, subnormal in float32.
        var x = new float[64];
        for (int i = 1; i < x.Length; i++) x[i] = -90 - i % 8;
        var y = new float[x.Length];
        Softmax.Apply(x, y);
        double sum = 1 + Enumerable.Range(1, 63).Sum(i => Math.Exp(x[i]));
        for (int i = 1; i < x.Length; i++)
        {
            Assert.True(float.IsSubnormal(y[i]) || y[i] == 0, $"y[{i}] = {y[i]:G9}");
            Assert.True(Math.Abs(y[i] - Math.Exp(x[i]) / sum) <= 1e-3 * Math.Exp(x[i]) + 2 * Smallest, $"y[{i}] = {y[i]:G9}");
        }
        Assert.Equal(1f, y[0]);
    }

    // Not inlined, so the JIT cannot fold the products at compile time: they run on this machine's FPU.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Volatile(float x) => x;
}
