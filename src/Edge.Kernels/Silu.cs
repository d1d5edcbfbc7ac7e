using System.Numerics.Tensors;

namespace Edge.Kernels;

/// <summary>SiLU (swish): <c>y = x · σ(x)</c>.</summary>
public static class Silu
{
    private const int Block = 128;

    /// <summary>Applies SiLU elementwise.</summary>
    /// <param name="x">Input.</param>
    /// <param name="y">Output of the same length; may be <paramref name="x"/> itself but must not partly overlap it.</param>
    public static void Apply(ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length != x.Length) Throw.Length(nameof(y), x.Length, y.Length);
        if (x.Overlaps(y, out int offset) && offset != 0) Throw.Overlap(nameof(x), nameof(y));

        Span<float> t = stackalloc float[Block];
        for (int i = 0; i < x.Length; i += Block)
        {
            int n = Math.Min(Block, x.Length - i);
            ReadOnlySpan<float> xs = x.Slice(i, n);
            Span<float> ts = t[..n];
            TensorPrimitives.Sigmoid(xs, ts);
            TensorPrimitives.Multiply(ts, xs, y.Slice(i, n));
        }
    }
}
