namespace Edge.Backends;

/// <summary>
/// One stream's state and scratch for an <see cref="IStepModel"/>. <see cref="Step"/> must allocate
/// nothing; the state may live on a device, so it is read and written through flat copies.
/// </summary>
public interface IStepSession : IDisposable
{
    /// <summary>Advances one step. Lengths are checked by the caller.</summary>
    void Step(ReadOnlySpan<float> input, Span<float> output);

    /// <summary>Sets the state to the model's initial state.</summary>
    void Reset();

    /// <summary>Copies the state, in layout order, into <paramref name="destination"/>.</summary>
    void ReadState(Span<float> destination);

    /// <summary>Replaces the state with <paramref name="source"/> (layout order, already validated).</summary>
    void WriteState(ReadOnlySpan<float> source);
}
