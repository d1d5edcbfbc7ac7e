namespace Edge.Speech.Codecs;

/// <summary>Audio to codes: for training data and for prompt (reference) voices.</summary>
public interface ICodecEncoder
{
    /// <summary>Frames the encoder makes from a clip of <paramref name="samples"/> samples at the codec's rate.</summary>
    int FrameCount(int samples);

    /// <summary>
    /// Encodes <paramref name="audio"/> (mono, the codec's sample rate) into <paramref name="codes"/>, row-major
    /// [FrameCount, Quantizers]. Allocates nothing after the encoder's first call at a given length.
    /// </summary>
    void Encode(ReadOnlySpan<float> audio, Span<int> codes);
}
