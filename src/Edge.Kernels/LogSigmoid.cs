namespace Edge.Kernels;

/// <summary>
/// <c>log σ(x) = min(x, 0) − log(1 + exp(−|x|))</c>, written so that neither large positive nor large
/// negative inputs overflow or lose the small tail (PyTorch's <c>F.logsigmoid</c>).
/// </summary>
public static class LogSigmoid
{
    /// <summary>Applies log σ elementwise.</summary>
    /// <param name="x">Input.</param>
    /// <param name="y">Output of the same length; may be <paramref name="x"/> itself but must not partly overlap it.</param>
    public static void Apply(ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length != x.Length) Throw.Length(nameof(y), x.Length, y.Length);
        if (x.Overlaps(y, out int offset) && offset != 0) Throw.Overlap(nameof(x), nameof(y));
        // A few thousand gates per step next to millions of weights: a scalar loop is not the bottleneck.
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i];
            double e = Math.Exp(-Math.Abs(v));
            // log(1 + e) loses e when e is tiny (float.LogP1 is computed as Log(1 + e)): use its series there.
            double log1p = e < 1e-4 ? e * (1 - 0.5 * e) : Math.Log(1 + e);
            y[i] = (float)(Math.Min(v, 0) - log1p);
        }
    }
}
