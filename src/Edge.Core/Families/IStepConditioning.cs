namespace Edge.Families;

/// <summary>
/// One stream's per-utterance conditioning for a step that runs outside the family's CPU code (a text-to-speech
/// step graph: tensors computed from the text, and a voice as the initial state). The backend binds
/// <see cref="GetInput"/> as extra graph inputs whenever <see cref="Version"/> changes, never per step.
/// The same object exposes the stream's features (e.g. <see cref="Streams.ITextConditioning"/>).
/// </summary>
public interface IStepConditioning : IDisposable
{
    /// <summary>Changes whenever the inputs or the initial state change.</summary>
    long Version { get; }

    /// <summary>Throws an <see cref="EdgeException"/> saying what to do when a step cannot run yet (no text set).</summary>
    void EnsureReady();

    /// <summary>The current data and shape of conditioning input <paramref name="index"/> (valid until <see cref="Version"/> changes).</summary>
    (float[] Data, long[] Shape) GetInput(int index);

    /// <summary>The state the stream resets to, or null for the family's initial state.</summary>
    byte[]? InitialState { get; }

    /// <summary>Connects the conditioning to its stream, for features that read or reset the state (saving a voice).</summary>
    void Attach(IConditionedStream stream);
}
