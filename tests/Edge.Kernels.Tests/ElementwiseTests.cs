using Edge.Kernels;

namespace Edge.Kernels.Tests;

/// <summary>Elementwise arithmetic: each element exactly the rounded float operation, every length, in place too.</summary>
public class ElementwiseTests
{
    private static float[] Random(Random rng, int n) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 8 - 4)).ToArray();

    [Fact]
    public void Every_operation_gives_exactly_the_scalar_float_result_for_lengths_0_to_40_and_in_place()
    {
        var rng = new Random(11);
        for (int n = 0; n <= 40; n++)
        {
            float[] a = Random(rng, n), b = Random(rng, n), c = Random(rng, n);
            float s = (float)(rng.NextDouble() + 0.5);
            var cases = new (string Name, Action<float[]> Run, Func<int, float> Want)[]
            {
                ("add", y => Elementwise.Add(a, b, y), i => a[i] + b[i]),
                ("subtract", y => Elementwise.Subtract(a, b, y), i => a[i] - b[i]),
                ("multiply", y => Elementwise.Multiply(a, b, y), i => a[i] * b[i]),
                ("divide", y => Elementwise.Divide(a, b, y), i => a[i] / b[i]),
                ("divide by a scalar", y => Elementwise.Divide(a, s, y), i => a[i] / s),
                ("multiply-add", y => Elementwise.MultiplyAdd(a, b, c, y), i => a[i] * b[i] + c[i]),
                ("multiply-add by a scalar", y => Elementwise.MultiplyAdd(a, s, c, y), i => a[i] * s + c[i]),
            };
            foreach (var (name, run, want) in cases)
            {
                var y = new float[n];
                run(y);
                for (int i = 0; i < n; i++) Assert.True(y[i] == want(i), $"{name} n {n} i {i}: {y[i]:R} vs {want(i):R}");
            }
            var inPlace = (float[])a.Clone();
            Elementwise.MultiplyAdd(inPlace, b, inPlace, inPlace);
            for (int i = 0; i < n; i++) Assert.Equal(a[i] * b[i] + a[i], inPlace[i]);
        }
    }

    [Fact]
    public void Dot_is_within_float_rounding_of_the_double_sum_and_repeats_its_bits()
    {
        var rng = new Random(12);
        for (int n = 0; n <= 300; n += 7)
        {
            float[] a = Random(rng, n), b = Random(rng, n);
            double want = 0, scale = 0;
            for (int i = 0; i < n; i++) { want += (double)a[i] * b[i]; scale += Math.Abs((double)a[i] * b[i]); }
            float got = Elementwise.Dot(a, b);
            Assert.True(Math.Abs(got - want) <= 1e-6 * Math.Max(scale, 1), $"n {n}: {got} vs {want}");
            Assert.Equal(BitConverter.SingleToInt32Bits(got), BitConverter.SingleToInt32Bits(Elementwise.Dot(a, b)));
        }
    }

    [Fact]
    public void Mismatched_lengths_and_partial_overlaps_are_refused()
    {
        var buffer = new float[32];
        Assert.Throws<ArgumentException>(() => Elementwise.Add(buffer.AsSpan(0, 8), buffer.AsSpan(8, 7), buffer.AsSpan(16, 8)));
        Assert.Throws<ArgumentException>(() => Elementwise.Subtract(buffer.AsSpan(0, 8), buffer.AsSpan(8, 8), buffer.AsSpan(4, 8)));
        Assert.Throws<ArgumentException>(() => Elementwise.MultiplyAdd(buffer.AsSpan(0, 8), 2f, buffer.AsSpan(9, 8), buffer.AsSpan(10, 8)));
        Assert.Throws<ArgumentException>(() => Elementwise.Dot(buffer.AsSpan(0, 8), buffer.AsSpan(0, 9)));
    }
}
