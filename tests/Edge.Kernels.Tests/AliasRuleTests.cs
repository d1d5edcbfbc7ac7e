using Edge.Kernels;

namespace Edge.Kernels.Tests;

/// <summary>
/// The elementwise kernels take y = x (in place) and give the same bits as into a separate buffer, on every
/// SIMD path and every length 1..256 (the overlapping last vector must read inputs, not outputs already written);
/// a y that partly overlaps x is refused.
/// </summary>
public class AliasRuleTests
{
    public static IEnumerable<object[]> Paths() => SimdPaths.Available().Select(p => new object[] { (int)p });

    private delegate void Map(ReadOnlySpan<float> x, Span<float> y, SimdPath path);

    private static readonly (string Name, Map Apply)[] PathKernels =
    [
        ("LogSigmoid", LogSigmoid.Apply),
    ];

    private static float[] Inputs(Random rng, int n)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(rng.NextDouble() * 24 - 12);
        return x;
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void In_place_gives_the_same_bits_as_a_separate_output_for_lengths_1_to_256(int pathBits)
    {
        var path = (SimdPath)pathBits;
        var rng = new Random(31);
        foreach (var (name, apply) in PathKernels)
        {
            for (int n = 1; n <= 256; n++)
            {
                var x = Inputs(rng, n);
                var separate = new float[n];
                apply(x, separate, path);
                apply(x, x, path);
                Assert.True(separate.AsSpan().SequenceEqual(x), $"{name} path {path} n {n}: in place differs");
            }
        }
    }

    [Fact]
    public void Every_elementwise_kernel_runs_in_place_like_out_of_place_and_refuses_a_partial_overlap()
    {
        var rng = new Random(32);
        var w = Enumerable.Range(0, 64).Select(_ => (float)rng.NextDouble() + 0.5f).ToArray();
        var b = Enumerable.Range(0, 64).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        (string Name, Action<float[], float[]> Run, Action<float[]> Shifted)[] kernels =
        [
            ("GeluTanh", (x, y) => GeluTanh.Apply(x, y), buf => GeluTanh.Apply(buf.AsSpan(0, 63), buf.AsSpan(1, 63))),
            ("Relu", (x, y) => Relu.Apply(x, y), buf => Relu.Apply(buf.AsSpan(1, 63), buf.AsSpan(0, 63))),
            ("Silu", (x, y) => Silu.Apply(x, y), buf => Silu.Apply(buf.AsSpan(0, 63), buf.AsSpan(1, 63))),
            ("LogSigmoid", (x, y) => LogSigmoid.Apply(x, y), buf => LogSigmoid.Apply(buf.AsSpan(1, 63), buf.AsSpan(0, 63))),
            ("Softmax", (x, y) => Softmax.Apply(x, y), buf => Softmax.Apply(buf.AsSpan(0, 63), buf.AsSpan(1, 63))),
            ("RmsNorm", (x, y) => RmsNorm.Normalize(x, w.AsSpan(0, x.Length), 1e-6f, y), buf => RmsNorm.Normalize(buf.AsSpan(0, 63), w.AsSpan(0, 63), 1e-6f, buf.AsSpan(1, 63))),
            ("LayerNorm", (x, y) => LayerNorm.Normalize(x, w.AsSpan(0, x.Length), b.AsSpan(0, x.Length), 1e-5f, y),
                buf => LayerNorm.Normalize(buf.AsSpan(1, 63), w.AsSpan(0, 63), b.AsSpan(0, 63), 1e-5f, buf.AsSpan(0, 63))),
        ];
        foreach (var (name, run, shifted) in kernels)
        {
            foreach (int n in new[] { 1, 3, 4, 5, 15, 17, 33, 64 })
            {
                var x = Inputs(rng, n);
                var separate = new float[n];
                run(x, separate);
                run(x, x);
                Assert.True(separate.AsSpan().SequenceEqual(x), $"{name} n {n}: in place differs");
            }
            Assert.Throws<ArgumentException>(() => shifted(new float[64]));
        }
    }

    [Fact]
    public void Products_refuse_an_output_overlapping_their_input()
    {
        var buf = new float[40];
        Assert.Throws<ArgumentException>(() => MatVec.Multiply(new float[20 * 20], buf.AsSpan(0, 20), buf.AsSpan(19, 20)));
        Assert.Throws<ArgumentException>(() => MatVec.MultiplyAccumulate(new float[20 * 20], buf.AsSpan(0, 20), buf.AsSpan(0, 20)));
        var m = PackedMatrix.Pack(new float[64 * 20], 64, 20);
        var big = new float[84];
        Assert.Throws<ArgumentException>(() => m.Multiply(big.AsSpan(0, 20), big.AsSpan(10, 64)));
        var s = new float[8 * 8];
        var v = new float[16];
        Assert.Throws<ArgumentException>(() => GlaRecurrence.Step(s, new float[8], new float[8], v.AsSpan(0, 8), new float[8], v.AsSpan(4, 8)));
    }
}
