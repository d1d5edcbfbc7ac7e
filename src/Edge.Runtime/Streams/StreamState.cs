namespace Edge.Streams;

/// <summary>A copy of one stream's state at one step, bound to the model that made it (<see cref="ModelStream.Snapshot()"/>).</summary>
public sealed class StreamState
{
    /// <summary>Creates an empty snapshot sized for <paramref name="model"/>, to be filled by <see cref="ModelStream.Snapshot(StreamState)"/>.</summary>
    public StreamState(EdgeModel model)
        : this(model.Sha256, 0, new float[model.State.TotalLength])
    {
    }

    internal StreamState(string modelSha256, long stepCount, float[] values)
    {
        ModelSha256 = modelSha256;
        StepCount = stepCount;
        Values = values;
    }

    /// <summary>The identity of the model whose stream this came from.</summary>
    public string ModelSha256 { get; internal set; }

    /// <summary>Steps the stream had run.</summary>
    public long StepCount { get; internal set; }

    /// <summary>The state, flat, in the model's layout order.</summary>
    public float[] Values { get; }
}
