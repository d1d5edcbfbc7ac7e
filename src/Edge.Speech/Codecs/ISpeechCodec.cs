namespace Edge.Speech.Codecs;

/// <summary>
/// A speech codec read from a package's <c>codec/</c> folder: the mapping between audio and the discrete codes a
/// text-to-speech model predicts, frame by frame.
/// </summary>
public interface ISpeechCodec
{
    /// <summary>The codec's kind as its <c>codec.json</c> names it (<c>mel-vq</c>, <c>onnx</c>).</summary>
    string Kind { get; }

    /// <summary>Audio samples per second of the decoded (and encoded) audio, mono.</summary>
    int SampleRate { get; }

    /// <summary>Audio samples per code frame (the hop).</summary>
    int SamplesPerFrame { get; }

    /// <summary>Codes per frame (the number of codebooks, a model's n_quant).</summary>
    int Quantizers { get; }

    /// <summary>Codes per codebook; every code is in [0, CodebookSize).</summary>
    int CodebookSize { get; }

    /// <summary>Frames a decoder holds back before their audio is final (its bounded look-ahead).</summary>
    int LookaheadFrames { get; }

    /// <summary>A new decoder with its own state; decoders of one codec may run on different threads.</summary>
    ICodecDecoder CreateDecoder();

    /// <summary>A new encoder, or null when this kind only decodes (an ONNX decoder graph).</summary>
    ICodecEncoder? CreateEncoder();
}
