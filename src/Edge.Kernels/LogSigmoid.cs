namespace Edge.Kernels;

/// <summary>
/// <c>log σ(x) = min(x, 0) − log(1 + exp(−|x|))</c>, written so that neither large positive nor large
/// negative inputs overflow or lose the small tail (PyTorch's <c>F.logsigmoid</c>). Computed in double
/// and rounded once; the vector paths widen to double lanes and use the same formula.
/// </summary>
public static class LogSigmoid
{
    /// <summary>Applies log σ elementwise.</summary>
    /// <param name="x">Input.</param>
    /// <param name="y">Output of the same length; may be <paramref name="x"/> itself but must not partly overlap it.</param>
    public static void Apply(ReadOnlySpan<float> x, Span<float> y) => Apply(x, y, SimdPaths.Best);

    /// <summary>As the public Apply, on a chosen SIMD path, so tests can check every path on one machine.</summary>
    internal static void Apply(ReadOnlySpan<float> x, Span<float> y, SimdPath path)
    {
        if (y.Length != x.Length) Throw.Length(nameof(y), x.Length, y.Length);
        if (x.Overlaps(y, out int offset) && offset != 0) Throw.Overlap(nameof(x), nameof(y));
        // A float vector is widened to a double vector of twice its width (see LogSigmoidOperator), so the map runs
        // one width below the path: eight floats per Vector512<double> on the 512-bit path.
        var floats = path switch { SimdPath.V512 => SimdPath.V256, SimdPath.V256 => SimdPath.V128, _ => path };
        UnaryMap.Apply<LogSigmoidOperator>(x, y, floats);
    }
}
