namespace Edge.TestSupport;

/// <summary>Seeded random arrays for tests.</summary>
public static class Rand
{
    public static float[] Uniform(Random rng, int n, float scale = 1f)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)((rng.NextDouble() * 2 - 1) * scale);
        return a;
    }

    public static float[] Positive(Random rng, int n, float lo, float hi)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)(lo + rng.NextDouble() * (hi - lo));
        return a;
    }
}
