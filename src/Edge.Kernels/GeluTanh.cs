using System.Numerics.Tensors;

namespace Edge.Kernels;

/// <summary>
/// GELU with the tanh approximation (PyTorch <c>gelu(x, approximate="tanh")</c>):
/// <c>y = 0.5 · x · (1 + tanh(sqrt(2/π) · (x + 0.044715 · x³)))</c>.
/// </summary>
public static class GeluTanh
{
    private const int Block = 128;
    private const float Sqrt2OverPi = 0.7978845608028654f;
    private const float Cubic = 0.044715f;

    /// <summary>Applies GELU-tanh elementwise.</summary>
    /// <param name="x">Input.</param>
    /// <param name="y">Output of the same length; may be <paramref name="x"/> itself but must not partly overlap it.</param>
    public static void Apply(ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length != x.Length) Throw.Length(nameof(y), x.Length, y.Length);
        if (x.Overlaps(y, out int offset) && offset != 0) Throw.Overlap(nameof(x), nameof(y));

        // A stack block holds the inner term so that y can be x itself; nothing is allocated.
        Span<float> t = stackalloc float[Block];
        for (int i = 0; i < x.Length; i += Block)
        {
            int n = Math.Min(Block, x.Length - i);
            ReadOnlySpan<float> xs = x.Slice(i, n);
            Span<float> ts = t[..n];
            TensorPrimitives.Multiply(xs, xs, ts);                              // x²
            TensorPrimitives.Multiply(ts, Sqrt2OverPi * Cubic, ts);
            TensorPrimitives.Add(ts, Sqrt2OverPi, ts);                          // k·(1 + 0.044715 x²)
            TensorPrimitives.Multiply(ts, xs, ts);                              // k·(x + 0.044715 x³)
            TensorPrimitives.Tanh(ts, ts);
            TensorPrimitives.Add(ts, 1f, ts);
            TensorPrimitives.Multiply(ts, xs, ts);
            TensorPrimitives.Multiply(ts, 0.5f, y.Slice(i, n));                 // 0.5·x·(1 + tanh)
        }
    }
}
