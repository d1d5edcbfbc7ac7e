using Edge.TestSupport.Speech;
using Edge.TestSupport.Speech.Similarity;
using Xunit.Abstractions;

namespace Edge.Speech.Tests.Similarity;

/// <summary>
/// The speaker-similarity measure is validated before anything is judged by it: two renditions of one espeak voice
/// (the same sentences at another pace) must be closer by it than two different voices.
/// </summary>
public sealed class SpeakerSimilarityTests(ITestOutputHelper output)
{
    private static readonly string[] Sentences =
    [
        "the weather is nice today",
        "please turn off the kitchen light",
        "the children are playing in the park",
    ];

    [Fact]
    [Trait("Category", "Speech")]
    public void Two_renditions_of_one_voice_are_closer_than_two_voices()
    {
        using var work = new TempFolder();
        var nyc = Speak(work, "en-us-nyc");
        var nycSlower = Speak(work, "en-us-nyc", wordsPerMinute: 150);
        var nycFaster = Speak(work, "en-us-nyc", wordsPerMinute: 200);
        var us = Speak(work, "en-us");
        var female = Speak(work, "en-us+f3");
        var rp = Speak(work, "en-gb-x-rp");
        var same = SpeakerSimilarity.Compare(nyc, nycSlower);
        var sameFaster = SpeakerSimilarity.Compare(nyc, nycFaster);
        var toUs = SpeakerSimilarity.Compare(nyc, us);
        var toFemale = SpeakerSimilarity.Compare(nyc, female);
        var toRp = SpeakerSimilarity.Compare(nyc, rp);
        output.WriteLine($"en-us-nyc vs itself at 150 wpm: {same}");
        output.WriteLine($"en-us-nyc vs itself at 200 wpm: {sameFaster}");
        output.WriteLine($"en-us-nyc vs en-us: {toUs}");
        output.WriteLine($"en-us-nyc vs en-us+f3: {toFemale}");
        output.WriteLine($"en-us-nyc vs en-gb-x-rp: {toRp}");

        double farthestSame = Math.Max(same.MelCepstralDistortionDb, sameFaster.MelCepstralDistortionDb);
        Assert.True(farthestSame < toUs.MelCepstralDistortionDb, $"same voice {farthestSame:F2} dB, en-us {toUs.MelCepstralDistortionDb:F2} dB");
        Assert.True(toUs.MelCepstralDistortionDb < toFemale.MelCepstralDistortionDb, "a female variant is farther than another American accent");
        Assert.True(farthestSame < toRp.MelCepstralDistortionDb);
        Assert.InRange(same.PitchDifferenceSemitones, 0, 1);
        Assert.True(toFemale.PitchDifferenceSemitones > 4, $"en-us+f3 is a female voice: {toFemale}");
    }

    [Fact]
    public void A_clip_is_at_zero_distance_from_itself_and_the_measure_ignores_loudness()
    {
        var rng = new Random(7);
        var clip = new float[16000];
        for (int i = 0; i < clip.Length; i++) clip[i] = 0.3f * MathF.Sin(2 * MathF.PI * 140 * i / 16000f) + 0.05f * (float)(rng.NextDouble() - 0.5);
        var quieter = clip.Select(x => x * 0.25f).ToArray();
        var d = SpeakerSimilarity.Compare([clip], [quieter]);
        Assert.True(d.MelCepstralDistortionDb < 1e-6, $"{d}");
        Assert.InRange(d.MedianPitchHzA, 138, 142);
        Assert.InRange(d.PitchDifferenceSemitones, 0, 1e-6);
    }

    private static List<float[]> Speak(TempFolder work, string voice, int? wordsPerMinute = null)
    {
        var clips = new List<float[]>();
        for (int i = 0; i < Sentences.Length; i++)
        {
            string wav = work.File($"{voice}-{wordsPerMinute}-{i}.wav");
            Espeak.Speak(Sentences[i], wav, voice, wordsPerMinute: wordsPerMinute);
            clips.Add(Edge.Audio.Wav.WavReader.ReadMono(wav).Samples);
        }
        return clips;
    }
}
