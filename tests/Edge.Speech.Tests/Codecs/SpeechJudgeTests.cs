using Edge.Audio.Wav;
using Edge.TestSupport;
using Edge.TestSupport.Speech;

namespace Edge.Speech.Tests.Codecs;

/// <summary>The judge itself: it must hear a clear sentence and must not hear it in audio with the same spectrum but no words.</summary>
public sealed class SpeechJudgeTests
{
    [Fact]
    [Trait("Category", "Speech")]
    public void The_judge_hears_espeak_and_not_the_same_clip_reversed()
    {
        using var judge = new SpeechJudge();
        using var work = new TempFolder();
        string sentence = judge.Sentences[15];
        string wav = work.File("clip.wav");
        Espeak.Speak(sentence, wav);
        Assert.Equal(sentence, judge.Recognize(wav));
        float[] reversed = WavReader.ReadMono(wav).Samples.Reverse().ToArray();
        PcmWav.Write(work.File("reversed.wav"), reversed, 16000);
        Assert.NotEqual(sentence, judge.Recognize(work.File("reversed.wav")));
    }
}
