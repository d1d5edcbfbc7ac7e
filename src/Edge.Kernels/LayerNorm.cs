using System.Numerics.Tensors;

namespace Edge.Kernels;

/// <summary>
/// Layer normalization over one vector, as PyTorch <c>nn.LayerNorm</c> computes it: biased variance,
/// <c>y = (x − mean) / sqrt(var + eps) · weight + bias</c>. The variance is taken over the centred values
/// (corrected two passes), so large offsets do not cancel away the spread.
/// </summary>
public static class LayerNorm
{
    /// <summary>Normalizes <paramref name="x"/> into <paramref name="y"/>.</summary>
    /// <param name="x">Input vector.</param>
    /// <param name="weight">Scale, one per element.</param>
    /// <param name="bias">Shift, one per element.</param>
    /// <param name="epsilon">Added to the variance (1e-5 in PyTorch's default).</param>
    /// <param name="y">Output; may be <paramref name="x"/> itself but must not partly overlap it.</param>
    public static void Normalize(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, float epsilon, Span<float> y)
    {
        int n = x.Length;
        if (y.Length != n) Throw.Length(nameof(y), n, y.Length);
        if (weight.Length != n) Throw.Length(nameof(weight), n, weight.Length);
        if (bias.Length != n) Throw.Length(nameof(bias), n, bias.Length);
        if (n == 0) return;
        if (x.Overlaps(y, out int offset) && offset != 0) Throw.Overlap(nameof(x), nameof(y));

        float mean = TensorPrimitives.Sum(x) / n;
        TensorPrimitives.Subtract(x, mean, y);
        // Corrected two-pass: a float sum of values far from zero (a serial sum on the scalar path) misses the mean
        // by many ulps; the centred values' own mean is that error, and removing it restores full precision.
        float residual = TensorPrimitives.Sum(y) / n;
        if (residual != 0) TensorPrimitives.Subtract(y, residual, y);
        float variance = TensorPrimitives.SumOfSquares(y) / n;
        float inv = 1f / MathF.Sqrt(variance + epsilon);
        TensorPrimitives.Multiply(y, inv, y);
        TensorPrimitives.FusedMultiplyAdd(y, weight, bias, y);
    }
}
