namespace Edge.Kernels;

/// <summary>
/// A softmax-weighted average kept as a running sum, one (score, value) pair at a time, exact and stable:
/// <c>m' = max(m, s)</c>, <c>c' = c·exp(m − m') + exp(s − m')</c>, <c>a' = a·exp(m − m') + v·exp(s − m')</c>;
/// the average is <c>a' / c'</c>. The empty sum is <c>m = −∞, c = 0, a = 0</c>.
/// </summary>
/// <remarks>
/// The sums are kept in double: a float32 sum of n similar terms drifts by up to n·2⁻²⁴ relative (1e6
/// steps of a constant input would move the average by several per cent), a double one by n·2⁻⁵³.
/// Only one exponential is taken per pair: the larger of <c>m</c> and <c>s</c> becomes the reference, so its
/// own weight is exactly 1. The first pair is written directly, so <c>exp(−∞ − s)</c> is never formed and a
/// score of −∞ or a huge negative one cannot produce NaN. <c>c ≥ 1</c> once a pair was added.
/// </remarks>
public static class RunningSoftmax
{
    /// <summary>Adds one pair to the running sum.</summary>
    /// <param name="max">Running maximum score <c>m</c> (−∞ when empty).</param>
    /// <param name="sum">Running sum of weights <c>c</c>, relative to <paramref name="max"/>.</param>
    /// <param name="weighted">Running weighted sum of values <c>a</c>, relative to <paramref name="max"/>.</param>
    /// <param name="score">The new pair's score <c>s</c>.</param>
    /// <param name="value">The new pair's value <c>v</c>, as long as <paramref name="weighted"/>.</param>
    public static void Add(ref double max, ref double sum, Span<double> weighted, float score, ReadOnlySpan<float> value)
    {
        if (value.Length != weighted.Length) Throw.Length(nameof(value), weighted.Length, value.Length);

        if (sum == 0)
        {
            // Empty: the first pair is the whole sum.
            max = score;
            sum = 1;
            for (int i = 0; i < value.Length; i++) weighted[i] = value[i];
        }
        else if (score > max)
        {
            // The new pair becomes the reference: rescale the old sums by exp(m − s) < 1.
            double keep = Math.Exp(max - score);
            max = score;
            sum = sum * keep + 1;
            for (int i = 0; i < value.Length; i++) weighted[i] = weighted[i] * keep + value[i];
        }
        else
        {
            // Equal scores weigh 1 even when both are infinite, where exp(s − m) would be NaN.
            double w = score == max ? 1 : Math.Exp(score - max);
            sum += w;
            for (int i = 0; i < value.Length; i++) weighted[i] += w * value[i];
        }
    }

    /// <summary>Writes the average <c>a / c</c> in float32; zeros when nothing was added yet.</summary>
    /// <param name="sum">Running sum of weights <c>c</c>.</param>
    /// <param name="weighted">Running weighted sum of values <c>a</c>.</param>
    /// <param name="average">Output, as long as <paramref name="weighted"/>.</param>
    public static void Average(double sum, ReadOnlySpan<double> weighted, Span<float> average)
    {
        if (average.Length != weighted.Length) Throw.Length(nameof(average), weighted.Length, average.Length);
        if (sum == 0)
        {
            average.Clear();
            return;
        }
        for (int i = 0; i < weighted.Length; i++) average[i] = (float)(weighted[i] / sum);
    }
}
