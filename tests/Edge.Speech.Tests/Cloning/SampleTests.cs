using Edge.Samples.TtsVoiceCloning;
using Edge.TestSupport.Speech;

namespace Edge.Speech.Tests.Cloning;

/// <summary>samples/tts-voice-cloning's work, as run.sh runs it: an en-us-nyc clip cloned with the default package, three sentences spoken, figures printed.</summary>
public sealed class SampleTests
{
    [Fact]
    [Trait("Category", "Speech")]
    public void The_sample_clones_a_clip_speaks_three_sentences_and_measures_both_voices()
    {
        using var work = new TempFolder();
        const string transcript = "the doctor will see you now. put the red box on the top shelf. the store closes early on sunday.";
        string reference = work.File("reference.wav");
        Espeak.Speak(transcript, reference, HeldOutSpeaker.Voice);
        var speaker = CloningRun.Sentences.Select((s, i) =>
        {
            string wav = work.File($"speaker-{i + 1}.wav");
            Espeak.Speak(s, wav, HeldOutSpeaker.Voice);
            return wav;
        }).ToList();

        var r = CloningRun.Run(HeldOutSpeaker.Package, reference, transcript, work.File("out"), speaker);

        Assert.Equal(3.0, r.Voice.PromptSeconds, 3);                         // 5.6 s of speech, read up to the 3 s limit
        Assert.StartsWith("the doctor will see you now", r.Voice.Transcript);
        Assert.Equal(0, r.Voice.AllocatedBytesPerFrame);
        Assert.Equal(new FileInfo(r.Voice.VoicePath).Length, r.Voice.VoiceBytes);
        Assert.Equal(3, r.ClonedWavs.Count);
        foreach (string wav in r.ClonedWavs.Concat(r.DefaultWavs))
            Assert.True(Edge.Audio.Wav.WavReader.ReadMono(wav).Duration > TimeSpan.FromSeconds(0.5), wav);
        Assert.InRange(r.Cloned!.MelCepstralDistortionDb, 1, 60);
        Assert.InRange(r.Default!.MelCepstralDistortionDb, 1, 60);
        Assert.InRange(r.Cloned.MedianPitchHzB, 95, 115);                    // en-us-nyc's own median pitch (103 Hz)
    }
}
