using Edge.Speech.Codecs;
using Edge.Speech.Synthesis;
using Edge.Streams;

namespace Edge.Speech.Tests.Synthesis;

/// <summary>The committed tiny random-weight gla-tts package (tests/fixtures/speech/tts-tiny) and a synthesizer over it with its real mel-vq codec.</summary>
internal static class TinyVoice
{
    public static string Package => RepoPaths.Fixtures("speech", "tts-tiny");

    public static EdgeModel Load() => EdgeModel.Load(Package);

    /// <summary>The package's own codec folder (a copy of the default voice's mel-vq codec).</summary>
    public static ISpeechCodec Codec(EdgeModel model) => SpeechCodecs.Load(model.Package);

    public static SpeechSynthesizer Synthesizer(EdgeModel model, SpeechSynthesizerOptions? options = null)
        => new(model, Codec(model), options ?? new SpeechSynthesizerOptions { MaxStepsPerSentence = 60 });
}
