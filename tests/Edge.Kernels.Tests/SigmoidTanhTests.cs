using Edge.Kernels;

namespace Edge.Kernels.Tests;

/// <summary>
/// Edge's own σ and tanh (the GRU step's, in place of TensorPrimitives'): accurate against double, finite and
/// saturating at the extremes, and each element's bits independent of the path's tail, the span's length and the
/// element's position, which is what lets a batch of streams apply them to stacked rows in one call.
/// </summary>
public class SigmoidTanhTests
{
    public static IEnumerable<object[]> Paths() => SimdPaths.Available().Select(p => new object[] { (int)p });

    private static float[] Inputs(Random rng, int n)
    {
        float[] special = [0f, -0f, 1e-30f, -1e-30f, 1e-4f, -1e-4f, 9f, -9f, 20f, -20f, 88f, -88f, 104f, -104f,
            float.MaxValue, float.MinValue, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon];
        var x = new float[n];
        for (int i = 0; i < n; i++)
            x[i] = (i % 3) switch
            {
                0 => special[rng.Next(special.Length)],
                1 => (float)(rng.NextDouble() * 40 - 20),
                _ => (float)((rng.NextDouble() * 2 - 1) * Math.Pow(10, rng.Next(-8, 3))),
            };
        return x;
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Sigmoid_is_within_four_float_ulps_of_the_double_formula_above_float_underflow_for_lengths_1_to_200(int pathBits)
    {
        var path = (SimdPath)pathBits;
        var rng = new Random(5);
        for (int n = 1; n <= 200; n++)
        {
            var x = Inputs(rng, n);
            var y = new float[n];
            Sigmoid.Apply(x, y, path);
            for (int i = 0; i < n; i++)
            {
                float want = (float)(1 / (1 + Math.Exp(-(double)x[i])));
                float ulp = Math.Max(MathF.BitIncrement(want) - want, float.Epsilon);
                bool underflow = want < 1.2e-38f && y[i] >= 0 && y[i] < 1.2e-38f;   // σ below float's normal range may flush to 0
                Assert.True(Math.Abs(y[i] - want) <= 4 * ulp || underflow, $"path {path} n {n} x {x[i]:R}: {y[i]:R} vs {want:R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Tanh_is_odd_saturates_at_one_and_is_within_2e_7_of_the_double_tanh(int pathBits)
    {
        var path = (SimdPath)pathBits;
        var rng = new Random(6);
        for (int n = 1; n <= 200; n++)
        {
            var x = Inputs(rng, n);
            var y = new float[n];
            Tanh.Apply(x, y, path);
            var negated = x.Select(v => -v).ToArray();
            var yn = new float[n];
            Tanh.Apply(negated, yn, path);
            for (int i = 0; i < n; i++)
            {
                double want = Math.Tanh(x[i]);
                Assert.True(Math.Abs(y[i] - want) <= 2e-7, $"path {path} n {n} x {x[i]:R}: {y[i]:R} vs {want:R}");
                Assert.True(Math.Abs(y[i]) <= 1f, $"|tanh({x[i]:R})| = {y[i]:R} > 1");
                Assert.Equal(-y[i], yn[i]);
            }
        }
        var ends = new float[] { 50f, -50f, float.PositiveInfinity, float.NegativeInfinity };
        Tanh.Apply(ends, ends, path);
        Assert.Equal([1f, -1f, 1f, -1f], ends);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void An_element_gets_the_same_bits_at_every_position_and_span_length(int pathBits)
    {
        var path = (SimdPath)pathBits;
        var rng = new Random(7);
        var x = Inputs(rng, 97);
        var alone = new float[x.Length];
        var aloneT = new float[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            Sigmoid.Apply(x.AsSpan(i, 1), alone.AsSpan(i, 1), path);
            Tanh.Apply(x.AsSpan(i, 1), aloneT.AsSpan(i, 1), path);
        }
        foreach (int start in new[] { 0, 1, 3, 5 })
            foreach (int n in new[] { 2, 3, 4, 7, 8, 9, 15, 16, 17, 31, 33, 64, 92 })
            {
                var ys = new float[n];
                var yt = new float[n];
                Sigmoid.Apply(x.AsSpan(start, n), ys, path);
                Tanh.Apply(x.AsSpan(start, n), yt, path);
                for (int i = 0; i < n; i++)
                {
                    Assert.True(BitConverter.SingleToInt32Bits(ys[i]) == BitConverter.SingleToInt32Bits(alone[start + i]), $"σ path {path} start {start} n {n} i {i}");
                    Assert.True(BitConverter.SingleToInt32Bits(yt[i]) == BitConverter.SingleToInt32Bits(aloneT[start + i]), $"tanh path {path} start {start} n {n} i {i}");
                }
            }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void In_place_works_nan_stays_nan_and_a_partial_overlap_is_refused(int pathBits)
    {
        var path = (SimdPath)pathBits;
        var x = Enumerable.Range(0, 19).Select(i => i == 7 ? float.NaN : (i - 9) * 0.5f).ToArray();
        var want = x.Select(v => 1 / (1 + Math.Exp(-(double)v))).ToArray();
        Sigmoid.Apply(x, x, path);
        Assert.True(float.IsNaN(x[7]));
        for (int i = 0; i < x.Length; i++) if (i != 7) Assert.True(Math.Abs(x[i] - want[i]) <= 2e-7, $"i {i}: {x[i]} vs {want[i]}");
        var buffer = new float[20];
        Assert.Throws<ArgumentException>(() => Tanh.Apply(buffer.AsSpan(0, 16), buffer.AsSpan(2, 16), path));
        Assert.Throws<ArgumentException>(() => Sigmoid.Apply(buffer.AsSpan(0, 16), buffer.AsSpan(0, 15), path));
    }
}
