using Edge.Kernels;

namespace Edge.Kernels.Tests;

public class GlaRecurrenceTests
{
    public static IEnumerable<object[]> Paths() => SimdPaths.Available().Select(p => new object[] { (int)p });

    private static float[] Random(Random rng, int n, float lo = -1, float hi = 1)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)(lo + rng.NextDouble() * (hi - lo));
        return a;
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Every_simd_path_matches_double_reference_for_value_widths_1_to_256_over_three_steps(int pathBits)
    {
        var path = (SimdPath)pathBits;
        var rng = new Random(11);
        foreach (int cols in Enumerable.Range(1, 256))
        {
            int rows = 1 + cols % 7;
            var state = Random(rng, rows * cols);
            var expected = state.Select(x => (double)x).ToArray();
            var o = new float[cols];
            for (int step = 0; step < 3; step++)
            {
                var decay = Random(rng, rows, 0.5f, 1f);
                var k = Random(rng, rows);
                var v = Random(rng, cols);
                var q = Random(rng, rows);
                GlaRecurrence.Step(state, decay, k, v, q, o, path);
                var eo = new double[cols];
                for (int i = 0; i < rows; i++)
                {
                    for (int j = 0; j < cols; j++)
                    {
                        expected[i * cols + j] = decay[i] * expected[i * cols + j] + (double)k[i] * v[j];
                        eo[j] += q[i] * expected[i * cols + j];
                    }
                }
                for (int j = 0; j < cols; j++)
                    Assert.True(Math.Abs(o[j] - eo[j]) < 1e-5, $"path {path} cols {cols} step {step} o[{j}]: {o[j]} vs {eo[j]}");
                for (int i = 0; i < state.Length; i++)
                    Assert.True(Math.Abs(state[i] - expected[i]) < 1e-5, $"path {path} cols {cols} step {step} S[{i}]: {state[i]} vs {expected[i]}");
            }
        }
    }

    [Fact]
    public void Wrong_lengths_and_an_output_overlapping_the_state_are_refused()
    {
        var s = new float[12];
        Assert.Throws<ArgumentException>(() => GlaRecurrence.Step(s, new float[3], new float[3], new float[5], new float[3], new float[5]));
        Assert.Throws<ArgumentException>(() => GlaRecurrence.Step(s, new float[3], new float[2], new float[4], new float[3], new float[4]));
        Assert.Throws<ArgumentException>(() => GlaRecurrence.Step(s, new float[3], new float[3], new float[4], new float[3], s.AsSpan(0, 4)));
    }
}
