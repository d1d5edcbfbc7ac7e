namespace Edge.Formats.Npy;

/// <summary>A float32 array read from or written to a NumPy <c>.npy</c> file, C order.</summary>
/// <param name="Shape">Dimensions, outermost first.</param>
/// <param name="Data">Values in C order.</param>
public sealed record NpyArray(int[] Shape, float[] Data)
{
    /// <summary>Rows when the array is read as [T, F]: the first dimension (1 for a scalar).</summary>
    public int Rows => Shape.Length == 0 ? 1 : Shape[0];

    /// <summary>Values per row when read as [T, F]: the product of the dimensions after the first.</summary>
    public int Columns => Shape.Length <= 1 ? 1 : (int)(Data.LongLength / Math.Max(1, Shape[0]));

    /// <summary>Row <paramref name="t"/> of the [T, F] view.</summary>
    public ReadOnlySpan<float> Row(int t) => Data.AsSpan(t * Columns, Columns);
}
