namespace Edge.Onnx.Tests;

/// <summary>Float comparisons that report the worst element.</summary>
internal static class Close
{
    /// <summary>Asserts |a − b| ≤ atol + rtol·|b| everywhere (infinities must match exactly).</summary>
    public static void All(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float atol, float rtol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            float e = expected[i], a = actual[i];
            if (e == a) continue;
            double diff = Math.Abs((double)e - a), limit = atol + rtol * Math.Abs((double)e);
            if (double.IsNaN(diff) || diff > limit)
            {
                double excess = double.IsNaN(diff) ? double.PositiveInfinity : diff - limit;
                if (worst < 0 || excess > worstExcess) (worst, worstExcess) = (i, excess);
            }
        }
        Assert.True(worst < 0, worst < 0 ? "" : $"{what}: element {worst} is {actual[worst]}, expected {expected[worst]} (tolerance {atol} + {rtol}·|x|)");
    }

    public static double MaxAbs(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double m = 0;
        for (int i = 0; i < a.Length; i++) m = Math.Max(m, Math.Abs((double)a[i] - b[i]));
        return m;
    }
}
