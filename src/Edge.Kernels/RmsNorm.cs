using System.Numerics.Tensors;

namespace Edge.Kernels;

/// <summary>
/// RMS normalization over one vector: <c>y = x / sqrt(mean(x²) + eps) · weight</c> (no bias), as fla's
/// fused RMSNorm computes it.
/// </summary>
public static class RmsNorm
{
    /// <summary>Normalizes <paramref name="x"/> into <paramref name="y"/>.</summary>
    /// <param name="x">Input vector.</param>
    /// <param name="weight">Scale, one per element.</param>
    /// <param name="epsilon">Added to the mean square.</param>
    /// <param name="y">Output; may be <paramref name="x"/> itself but must not partly overlap it.</param>
    public static void Normalize(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, float epsilon, Span<float> y)
    {
        int n = x.Length;
        if (y.Length != n) Throw.Length(nameof(y), n, y.Length);
        if (weight.Length != n) Throw.Length(nameof(weight), n, weight.Length);
        if (n == 0) return;
        if (x.Overlaps(y, out int offset) && offset != 0) Throw.Overlap(nameof(x), nameof(y));

        float meanSquare = TensorPrimitives.SumOfSquares(x) / n;
        float inv = 1f / MathF.Sqrt(meanSquare + epsilon);
        TensorPrimitives.Multiply(x, inv, y);
        TensorPrimitives.Multiply(y, weight, y);
    }
}
