using System.Numerics.Tensors;

namespace Edge.Kernels;

/// <summary>
/// Softmax over one vector, stable for any range of scores: the maximum is subtracted before the
/// exponentials (<c>y_i = exp(x_i − max) / Σ_j exp(x_j − max)</c>).
/// </summary>
public static class Softmax
{
    /// <summary>Writes the softmax of <paramref name="x"/> into <paramref name="y"/>.</summary>
    /// <param name="x">Scores; at least one, none NaN.</param>
    /// <param name="y">Output of the same length; may be <paramref name="x"/> itself but must not partly overlap it.</param>
    public static void Apply(ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length != x.Length) Throw.Length(nameof(y), x.Length, y.Length);
        if (x.Length == 0) Throw.Length(nameof(x), 1, 0);
        if (x.Overlaps(y, out int offset) && offset != 0) Throw.Overlap(nameof(x), nameof(y));

        float max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, y);
        TensorPrimitives.Exp(y, y);
        float sum = TensorPrimitives.Sum(y);
        TensorPrimitives.Divide(y, sum, y);
    }
}
