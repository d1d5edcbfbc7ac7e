using System.Numerics.Tensors;

namespace Edge.Kernels;

/// <summary>
/// A softmax-weighted average kept as a running sum, one (score, value) pair at a time, exact and stable:
/// <c>m' = max(m, s)</c>, <c>c' = c·exp(m − m') + exp(s − m')</c>, <c>a' = a·exp(m − m') + v·exp(s − m')</c>;
/// the average is <c>a' / c'</c>. The empty sum is <c>m = −∞, c = 0, a = 0</c>.
/// </summary>
/// <remarks>
/// Only one exponential is taken per pair: the larger of <c>m</c> and <c>s</c> becomes the new reference,
/// so its own weight is exactly 1. The first pair is written directly, so <c>exp(−∞ − s)</c> is never
/// formed and a score of −∞ or a huge negative one cannot produce NaN. <c>c ≥ 1</c> once a pair was added.
/// </remarks>
public static class RunningSoftmax
{
    /// <summary>Adds one pair to the running sum.</summary>
    /// <param name="max">Running maximum score <c>m</c> (−∞ when empty).</param>
    /// <param name="sum">Running sum of weights <c>c</c>, relative to <paramref name="max"/>.</param>
    /// <param name="weighted">Running weighted sum of values <c>a</c>, relative to <paramref name="max"/>.</param>
    /// <param name="score">The new pair's score <c>s</c>.</param>
    /// <param name="value">The new pair's value <c>v</c>, as long as <paramref name="weighted"/>.</param>
    public static void Add(ref float max, ref float sum, Span<float> weighted, float score, ReadOnlySpan<float> value)
    {
        if (value.Length != weighted.Length) Throw.Length(nameof(value), weighted.Length, value.Length);
        if (value.Overlaps(weighted)) Throw.Overlap(nameof(value), nameof(weighted));

        if (sum == 0f)
        {
            // Empty: the first pair is the whole sum.
            max = score;
            sum = 1f;
            value.CopyTo(weighted);
        }
        else if (score > max)
        {
            // The new pair becomes the reference: rescale the old sums by exp(m − s) < 1.
            float keep = MathF.Exp(max - score);
            max = score;
            sum = sum * keep + 1f;
            TensorPrimitives.MultiplyAdd(weighted, keep, value, weighted);
        }
        else
        {
            // Equal scores weigh 1 even when both are infinite, where exp(s − m) would be NaN.
            float w = score == max ? 1f : MathF.Exp(score - max);
            sum += w;
            TensorPrimitives.MultiplyAdd(value, w, weighted, weighted);
        }
    }

    /// <summary>Writes the average <c>a / c</c>; zeros when nothing was added yet.</summary>
    /// <param name="sum">Running sum of weights <c>c</c>.</param>
    /// <param name="weighted">Running weighted sum of values <c>a</c>.</param>
    /// <param name="average">Output, as long as <paramref name="weighted"/>.</param>
    public static void Average(float sum, ReadOnlySpan<float> weighted, Span<float> average)
    {
        if (average.Length != weighted.Length) Throw.Length(nameof(average), weighted.Length, average.Length);
        if (sum == 0f) average.Clear();
        else TensorPrimitives.Divide(weighted, sum, average);
    }
}
