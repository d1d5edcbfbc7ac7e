using Edge.Speech.Cloning;
using Edge.Speech.Output;
using Edge.Speech.Synthesis;
using Edge.TestSupport.Speech.Similarity;

namespace Edge.Samples.TtsVoiceCloning;

/// <summary>The sample's work: clone a voice from a clip, speak sentences with it and with the package's default voice, and compare both to the speaker.</summary>
public static class CloningRun
{
    /// <summary>The sentences the sample speaks (none of them in the reference clip).</summary>
    public static readonly string[] Sentences =
    [
        "the weather is nice today",
        "please turn off the kitchen light",
        "call me when you get home",
    ];

    /// <summary>What one run made.</summary>
    /// <param name="Voice">What cloning reported (the voice file, the speech read, its size).</param>
    /// <param name="ClonedWavs">Each sentence spoken with the cloned voice.</param>
    /// <param name="DefaultWavs">Each sentence spoken with the package's default voice.</param>
    /// <param name="Cloned">The cloned voice against the speaker's own recordings of the sentences; null without them.</param>
    /// <param name="Default">The default voice against the same; null without them.</param>
    public sealed record Result(VoiceCloneResult Voice, IReadOnlyList<string> ClonedWavs, IReadOnlyList<string> DefaultWavs, VoiceDistance? Cloned, VoiceDistance? Default);

    /// <summary>
    /// Clones <paramref name="referenceWav"/> (saying <paramref name="transcript"/>) into <paramref name="outputFolder"/>/voice.safetensors,
    /// speaks <see cref="Sentences"/> with it and with the default voice (seed 1) into WAVs there, and, when
    /// <paramref name="speakerWavs"/> holds the speaker saying each sentence, measures both voices against them.
    /// </summary>
    public static Result Run(string package, string referenceWav, string transcript, string outputFolder, IReadOnlyList<string>? speakerWavs = null)
    {
        Directory.CreateDirectory(outputFolder);
        string voice = Path.Combine(outputFolder, "voice.safetensors");
        VoiceCloneResult made;
        using (var cloner = VoiceCloner.Load(package))
            made = cloner.CloneWav(referenceWav, transcript, voice);

        using var tts = SpeechSynthesizer.Load(package);
        var cloned = Speak(tts, voice, Path.Combine(outputFolder, "cloned"));
        var plain = Speak(tts, null, Path.Combine(outputFolder, "default"));
        VoiceDistance? c = null, d = null;
        if (speakerWavs is { Count: > 0 })
        {
            c = SpeakerSimilarity.CompareWavs(cloned, speakerWavs);
            d = SpeakerSimilarity.CompareWavs(plain, speakerWavs);
        }
        return new Result(made, cloned, plain, c, d);
    }

    private static List<string> Speak(SpeechSynthesizer tts, string? voice, string prefix)
    {
        var wavs = new List<string>();
        for (int i = 0; i < Sentences.Length; i++)
        {
            string wav = $"{prefix}-{i + 1}.wav";
            using var sink = new WavAudioSink(wav, tts.SampleRate);
            using var stream = tts.CreateStream(voice);
            stream.Begin(Sentences[i], seed: 1);
            var buffer = new float[stream.MaxChunkSamples];
            int n;
            while ((n = stream.Read(buffer)) > 0) sink.Write(buffer.AsSpan(0, n));
            wavs.Add(wav);
        }
        return wavs;
    }
}
