namespace Edge.Streams;

/// <summary>A copy of one stream's state at one step, bound to the model that made it (<see cref="ModelStream.Snapshot()"/>).</summary>
public sealed class StreamState
{
    /// <summary>Creates an empty snapshot sized for <paramref name="model"/>, to be filled by <see cref="ModelStream.Snapshot(StreamState)"/>.</summary>
    public StreamState(EdgeModel model)
    {
        ModelSha256 = model.Sha256;
        Layout = model.State;
        Bytes = new byte[model.State.Bytes];
    }

    /// <summary>The identity of the model whose stream this came from.</summary>
    public string ModelSha256 { get; internal set; }

    /// <summary>Steps the stream had run.</summary>
    public long StepCount { get; internal set; }

    /// <summary>The state's layout (names, shapes, dtypes).</summary>
    public StateLayout Layout { get; }

    /// <summary>The state, flat, in the layout's order and dtypes.</summary>
    public byte[] Bytes { get; }

    /// <summary>One float32 entry's values.</summary>
    public Span<float> Floats(string entry) => StateLayout.Floats(Bytes.AsSpan(), Layout[entry]);

    /// <summary>One float64 entry's values.</summary>
    public Span<double> Doubles(string entry) => StateLayout.Doubles(Bytes.AsSpan(), Layout[entry]);

    /// <summary>Every entry converted to float32, one after another in layout order (how golden state files store it).</summary>
    public float[] ToFloat32()
    {
        var result = new float[Layout.Entries.Sum(e => e.Length)];
        int at = 0;
        foreach (var e in Layout.Entries)
        {
            if (e.DType == StateDType.F32) StateLayout.Floats(Bytes.AsSpan(), e).CopyTo(result.AsSpan(at));
            else
            {
                var d = StateLayout.Doubles(Bytes.AsSpan(), e);
                for (int i = 0; i < d.Length; i++) result[at + i] = (float)d[i];
            }
            at += e.Length;
        }
        return result;
    }
}
