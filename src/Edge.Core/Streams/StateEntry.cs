namespace Edge.Streams;

/// <summary>One named tensor of a stream's state, stored at <see cref="ByteOffset"/> in the flat state buffer.</summary>
/// <param name="Name">Name used in state files (e.g. "h", "decoder.0.S").</param>
/// <param name="Shape">Dimensions, outermost first.</param>
/// <param name="DType">Element type.</param>
/// <param name="ByteOffset">First byte of this entry in the flat state (a multiple of the element size).</param>
public sealed record StateEntry(string Name, int[] Shape, StateDType DType, int ByteOffset)
{
    /// <summary>Number of elements.</summary>
    public int Length
    {
        get
        {
            int n = 1;
            foreach (int d in Shape) n *= d;
            return n;
        }
    }

    /// <summary>
    /// The index of the first element when the whole state is viewed as one array of this entry's dtype
    /// (<see cref="ByteOffset"/> over the element size): what a family whose entries share one dtype indexes by.
    /// </summary>
    public int Offset => ByteOffset / ElementSize;

    /// <summary>Bytes per element (4 or 8).</summary>
    public int ElementSize => DType == StateDType.F64 ? 8 : 4;

    /// <summary>Bytes of this entry.</summary>
    public int ByteLength => Length * ElementSize;

    /// <summary>This entry's bytes within a flat state buffer.</summary>
    public Span<byte> Bytes(Span<byte> state) => state.Slice(ByteOffset, ByteLength);

    /// <summary>This entry's bytes within a flat state buffer.</summary>
    public ReadOnlySpan<byte> Bytes(ReadOnlySpan<byte> state) => state.Slice(ByteOffset, ByteLength);
}
