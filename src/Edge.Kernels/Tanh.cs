namespace Edge.Kernels;

/// <summary>The hyperbolic tangent, elementwise (see <see cref="TanhOperator"/>).</summary>
public static class Tanh
{
    /// <summary>Applies tanh elementwise.</summary>
    /// <param name="x">Input.</param>
    /// <param name="y">Output of the same length; may be <paramref name="x"/> itself but must not partly overlap it.</param>
    public static void Apply(ReadOnlySpan<float> x, Span<float> y) => Apply(x, y, SimdPaths.Best);

    /// <summary>As the public Apply, on a chosen SIMD path, so tests can check every path on one machine.</summary>
    internal static void Apply(ReadOnlySpan<float> x, Span<float> y, SimdPath path)
    {
        if (y.Length != x.Length) Throw.Length(nameof(y), x.Length, y.Length);
        if (x.Overlaps(y, out int offset) && offset != 0) Throw.Overlap(nameof(x), nameof(y));
        UnaryMap.Apply<TanhOperator>(x, y, path);
    }
}
