using Edge.Speech.Codecs;
using Edge.Speech.Synthesis;
using Edge.Streams;

namespace Edge.Speech.Tests.Synthesis;

/// <summary>The committed tiny random-weight gla-tts package (tests/fixtures/speech/tts-tiny) and a synthesizer over it.</summary>
internal static class TinyVoice
{
    public static string Package => RepoPaths.Fixtures("speech", "tts-tiny");

    public static EdgeModel Load() => EdgeModel.Load(Package);

    public static ISpeechCodec Codec() => new OverlapAddCodec();

    public static SpeechSynthesizer Synthesizer(EdgeModel model, SpeechSynthesizerOptions? options = null)
        => new(model, Codec(), options ?? new SpeechSynthesizerOptions { MaxStepsPerSentence = 60 });
}
