using Edge.Audio.Wav;
using Edge.TestSupport;
using Edge.TestSupport.Speech;
using Xunit.Abstractions;

namespace Edge.Speech.Tests.Codecs;

/// <summary>The codec on its own, judged by ear: espeak-ng speaks, mel-vq encodes and decodes (streaming), pocketsphinx listens.</summary>
public sealed class MelVqRoundTripTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Speech")]
    public void Ten_sentences_survive_the_codec_round_trip()
    {
        var codec = MelVqGolden.Codec;
        var encoder = codec.CreateEncoder()!;
        using var decoder = codec.CreateDecoder();
        using var judge = new SpeechJudge();
        using var work = new TempFolder();
        int ours = 0, espeak = 0;
        foreach (var (sentence, i) in judge.Sentences.Take(10).Select((s, i) => (s, i)))
        {
            string reference = work.File($"{i:00}-ref.wav");
            Espeak.Speak(sentence, reference);
            float[] clip = WavReader.ReadMono(reference).Samples;
            var codes = new int[encoder.FrameCount(clip.Length)];
            encoder.Encode(clip, codes);
            float[] audio = MelVqGolden.Decode(decoder, codes);
            // As check_codec.py: peak-normalised to 0.9 so the 16-bit file neither clips nor loses the quiet parts.
            float peak = audio.Max(Math.Abs);
            for (int k = 0; k < audio.Length; k++) audio[k] *= 0.9f / Math.Max(peak, 1e-9f);
            string decoded = work.File($"{i:00}.wav");
            PcmWav.Write(decoded, audio, codec.SampleRate);
            string heard = judge.Recognize(decoded), heardReference = judge.Recognize(reference);
            ours += heard == sentence ? 1 : 0;
            espeak += heardReference == sentence ? 1 : 0;
            output.WriteLine($"{(heard == sentence ? "ok  " : "MISS")} '{sentence}' heard '{heard}' (espeak-ng itself: '{heardReference}')");
        }
        output.WriteLine($"codec round trip {ours}/10, espeak-ng itself {espeak}/10");
        Assert.Equal(10, ours);
    }
}
