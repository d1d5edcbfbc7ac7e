namespace Edge.Backends;

/// <summary>
/// One stream's state and scratch for an <see cref="IStepModel"/>. <see cref="Step"/> must allocate
/// nothing; the state may live on a device, so it is read and written through flat byte copies in the
/// layout's order and dtypes (<see cref="Streams.StateLayout"/>).
/// </summary>
public interface IStepSession : IDisposable
{
    /// <summary>Advances one step. Lengths are checked by the caller.</summary>
    void Step(ReadOnlySpan<float> input, Span<float> output);

    /// <summary>Sets the state to the model's initial state (or the stream's voice, where it has one).</summary>
    void Reset();

    /// <summary>Copies the state, in layout order, into <paramref name="destination"/> (<see cref="Streams.StateLayout.Bytes"/> long).</summary>
    void ReadState(Span<byte> destination);

    /// <summary>Replaces the state with <paramref name="source"/> (layout order, length already checked); throws and keeps the state when a value is invalid.</summary>
    void WriteState(ReadOnlySpan<byte> source);

    /// <summary>A capability of this stream beyond stepping (e.g. <see cref="Streams.ITextConditioning"/>), or null.</summary>
    T? GetFeature<T>() where T : class => this as T;
}
