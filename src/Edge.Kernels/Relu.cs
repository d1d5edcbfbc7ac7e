using System.Numerics.Tensors;

namespace Edge.Kernels;

/// <summary>ReLU: <c>y = max(x, 0)</c>.</summary>
public static class Relu
{
    /// <summary>Applies ReLU elementwise.</summary>
    /// <param name="x">Input.</param>
    /// <param name="y">Output of the same length; may be <paramref name="x"/> itself but must not partly overlap it.</param>
    public static void Apply(ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length != x.Length) Throw.Length(nameof(y), x.Length, y.Length);
        if (x.Overlaps(y, out int offset) && offset != 0) Throw.Overlap(nameof(x), nameof(y));
        TensorPrimitives.Max(x, 0f, y);
    }
}
