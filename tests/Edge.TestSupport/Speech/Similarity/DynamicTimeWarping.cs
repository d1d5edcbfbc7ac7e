namespace Edge.TestSupport.Speech.Similarity;

/// <summary>
/// Dynamic time warping (Sakoe and Chiba 1978) of two sequences of vectors under a frame distance, with the
/// symmetric steps (1,0), (0,1), (1,1): the mean frame distance along the cheapest monotonic alignment.
/// </summary>
public static class DynamicTimeWarping
{
    /// <summary>The mean of <paramref name="distance"/> over the cheapest alignment's pairs of frames.</summary>
    public static double MeanAlignedDistance(IReadOnlyList<double[]> a, IReadOnlyList<double[]> b, Func<double[], double[], double> distance)
    {
        if (a.Count == 0 || b.Count == 0) throw new ArgumentException("both sequences need at least one frame of speech.");
        int n = a.Count, m = b.Count;
        var cost = new double[n + 1, m + 1];
        var length = new int[n + 1, m + 1];
        for (int i = 0; i <= n; i++)
            for (int j = 0; j <= m; j++) cost[i, j] = double.PositiveInfinity;
        cost[0, 0] = 0;
        for (int i = 1; i <= n; i++)
            for (int j = 1; j <= m; j++)
            {
                double d = distance(a[i - 1], b[j - 1]);
                // Ties prefer the diagonal, the shortest path.
                (double c, int l) best = (cost[i - 1, j - 1], length[i - 1, j - 1]);
                if (cost[i - 1, j] < best.c) best = (cost[i - 1, j], length[i - 1, j]);
                if (cost[i, j - 1] < best.c) best = (cost[i, j - 1], length[i, j - 1]);
                cost[i, j] = best.c + d;
                length[i, j] = best.l + 1;
            }
        return cost[n, m] / length[n, m];
    }
}
