namespace Edge.Onnx.Import;

/// <summary>One input or output of a graph as the importer sees it: its name, element type and declared shape (−1 for a symbolic dimension).</summary>
/// <param name="Name">The graph's name for it.</param>
/// <param name="DType">float32, float64, int64, int32, bool, float16, …</param>
/// <param name="Dims">The declared dimensions, −1 where symbolic.</param>
public sealed record GraphPort(string Name, string DType, long[] Dims)
{
    /// <summary>True when the two could be the same tensor: the same type and rank, and equal wherever both are known.</summary>
    public bool Fits(GraphPort other) =>
        DType == other.DType && Dims.Length == other.Dims.Length && Dims.Zip(other.Dims).All(p => p.First < 0 || p.Second < 0 || p.First == p.Second);

    /// <summary>"float32 [?, 128]".</summary>
    public override string ToString() => $"{Name}: {DType} [{string.Join(", ", Dims.Select(d => d < 0 ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]";
}
