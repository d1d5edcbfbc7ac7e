namespace Edge.Streams;

/// <summary>
/// A stream whose initial state can be a voice (initial-state tuning). Get it with
/// <c>stream.GetFeature&lt;IVoiceConditioning&gt;()</c>.
/// </summary>
public interface IVoiceConditioning
{
    /// <summary>
    /// Loads a voice file (in a form the family reads, or one saved by <see cref="SaveVoice"/>),
    /// makes it the initial state and resets the state to it. A voice saved by Edge for another model is refused.
    /// </summary>
    void LoadVoice(string path);

    /// <summary>Returns to the zero initial state and resets the state to it.</summary>
    void ClearVoice();

    /// <summary>
    /// Saves the current recurrent memory (S of every encoder and decoder layer) as a full-rank voice bound
    /// to this model: run the stream over a reference clip's codes first. Its size never depends on the clip's length.
    /// </summary>
    void SaveVoice(string path);
}
