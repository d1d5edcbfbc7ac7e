namespace Edge.Backends;

/// <summary>
/// The scratch of one batch of streams of an <see cref="IBatchStepModel"/>: the stacked inputs and activations of
/// up to <see cref="Capacity"/> streams. <see cref="Step"/> must allocate nothing and must give every stream the
/// output and the state it would get stepped alone.
/// </summary>
public interface IBatchStep : IDisposable
{
    /// <summary>The most streams one <see cref="Step"/> takes.</summary>
    int Capacity { get; }

    /// <summary>
    /// Advances each of <paramref name="sessions"/> (distinct sessions of this model, at most <see cref="Capacity"/>)
    /// one step: session <c>i</c> reads row <c>i</c> of <paramref name="inputs"/> (<c>InputSize</c> floats a row) and
    /// writes row <c>i</c> of <paramref name="outputs"/>. Lengths are checked by the caller. A row the family refuses
    /// (a bad token id, no text) throws before any session's state changes, naming its row.
    /// </summary>
    void Step(ReadOnlySpan<IStepSession> sessions, ReadOnlySpan<float> inputs, Span<float> outputs);
}
