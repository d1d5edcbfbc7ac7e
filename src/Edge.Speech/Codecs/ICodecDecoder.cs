namespace Edge.Speech.Codecs;

/// <summary>
/// A streaming decoder: frames of codes in, final audio out as soon as its look-ahead allows. Holds fixed-size
/// state between calls and allocates nothing per frame. Not thread-safe: one decoder per stream.
/// </summary>
public interface ICodecDecoder : IDisposable
{
    /// <summary>The most samples one <see cref="Push"/> writes; the output span must hold at least this many.</summary>
    int MaxSamplesPerPush { get; }

    /// <summary>The most samples <see cref="Finish"/> writes.</summary>
    int MaxFinishSamples { get; }

    /// <summary>
    /// Decodes one frame (<see cref="ISpeechCodec.Quantizers"/> codes) and writes the samples that became final,
    /// returning how many (0 while the look-ahead fills).
    /// </summary>
    int Push(ReadOnlySpan<int> frame, Span<float> audio);

    /// <summary>Ends the utterance: writes every sample still held back and returns how many; then as after <see cref="Reset"/>.</summary>
    int Finish(Span<float> audio);

    /// <summary>Forgets the current utterance (state back to its start).</summary>
    void Reset();
}
