using Edge.Kernels;

namespace Edge.Kernels.Tests;

public class LogSigmoidTests
{
    public static IEnumerable<object[]> Paths() => SimdPaths.Available().Select(p => new object[] { (int)p });

    private static double Reference(double v)
    {
        double e = Math.Exp(-Math.Abs(v));
        double log1p = e < 1e-4 ? e * (1 - 0.5 * e) : Math.Log(1 + e);
        return Math.Min(v, 0) - log1p;
    }

    // Wide random values, the neighbourhood of the series switch (|x| ≈ 9.21) and the special values.
    private static float[] Inputs(Random rng, int n)
    {
        float[] special = [0f, -0f, 1e-30f, -1e-30f, 9.2103f, 9.2104f, -9.2103f, -9.2104f, 88f, 104f, 200f, -200f,
            float.MaxValue, float.MinValue, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon];
        var x = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = (i % 3) switch
            {
                0 => special[rng.Next(special.Length)],
                1 => (float)(rng.NextDouble() * 60 - 30),
                _ => (float)((rng.NextDouble() * 2 - 1) * Math.Pow(10, rng.Next(-8, 5))),
            };
        }
        return x;
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Every_simd_path_matches_the_double_formula_to_one_float_ulp_for_lengths_1_to_256(int pathBits)
    {
        var path = (SimdPath)pathBits;
        var rng = new Random(17);
        for (int n = 1; n <= 256; n++)
        {
            var x = Inputs(rng, n);
            var y = new float[n];
            LogSigmoid.Apply(x, y, path);
            for (int i = 0; i < n; i++)
            {
                float want = (float)Reference(x[i]);
                bool close = y[i] == want || Math.Abs(y[i] - want) <= Math.Abs(MathF.BitIncrement(want) - want);
                Assert.True(close, $"path {path} n {n} x {x[i]:R}: {y[i]:R} vs {want:R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void In_place_works_and_nan_stays_nan(int pathBits)
    {
        var path = (SimdPath)pathBits;
        var x = Enumerable.Range(0, 19).Select(i => i == 7 ? float.NaN : i - 9f).ToArray();
        var expected = x.Select(v => (float)Reference(v)).ToArray();
        LogSigmoid.Apply(x, x, path);
        Assert.True(float.IsNaN(x[7]));
        for (int i = 0; i < x.Length; i++)
            if (i != 7) Assert.True(Math.Abs(x[i] - expected[i]) <= 1e-6 * Math.Max(1, Math.Abs(expected[i])), $"path {path} i {i}: {x[i]} vs {expected[i]}");
    }
}
