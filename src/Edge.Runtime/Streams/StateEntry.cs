namespace Edge.Streams;

/// <summary>One named tensor of a stream's state, stored at <see cref="Offset"/> in the flat state buffer.</summary>
/// <param name="Name">Name used in state files (e.g. "h", "decoder.0.S").</param>
/// <param name="Shape">Dimensions, outermost first.</param>
/// <param name="Offset">First float of this entry in the flat state.</param>
public sealed record StateEntry(string Name, int[] Shape, int Offset)
{
    /// <summary>Number of floats.</summary>
    public int Length
    {
        get
        {
            int n = 1;
            foreach (int d in Shape) n *= d;
            return n;
        }
    }
}
