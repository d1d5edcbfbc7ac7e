using System.Globalization;
using Edge.Cli.Commands;
using Edge.Speech.Output;
using Edge.Speech.Synthesis;

namespace Edge.Cli.Demo;

/// <summary>
/// Speech with the embedded default voice: one sentence spoken into a WAV, with its streaming figures and the
/// zero-allocation check of the token loop (model step, sampler, codec decoder).
/// </summary>
internal static class TtsDemo
{
    public const string Sentence = "the weather is nice today.";

    public static bool Run(TextWriter o)
    {
        var c = CultureInfo.InvariantCulture;
        bool embedded = typeof(TtsDemo).Assembly.GetManifestResourceNames().Contains($"models/{TtsCommand.DefaultModel}/model.json");
        if (!embedded)
        {
            o.WriteLine($"{TtsCommand.DefaultModel}: not embedded in this build (models/tts-default had no exported model when edge was built); edge tts needs --model PKG");
            return true;
        }
        using var tts = SpeechSynthesizer.Load(DemoModels.Extract(TtsCommand.DefaultModel));
        o.WriteLine($"{TtsCommand.DefaultModel}: gla-tts voice, {tts.Codec.Kind} codec at {tts.SampleRate} Hz, voice {Path.GetFileName(tts.Voice) ?? "zero state"}");
        string wav = Path.Combine(Path.GetTempPath(), $"edge-demo-tts-{Environment.ProcessId}.wav");
        SpeechMetrics m;
        using (var sink = new WavAudioSink(wav, tts.SampleRate)) m = tts.Synthesize(Sentence, sink, seed: 1);
        bool pass = m.AllocatedBytesPerToken == 0 && m.Samples > 0;
        o.WriteLine(string.Create(c, $"  speak          \"{Sentence}\" → {wav}: {m.AudioSeconds:F2} s of audio, {m.Tokens} tokens"));
        o.WriteLine(string.Create(c, $"  streaming      first audio after {m.TimeToFirstAudio.TotalMilliseconds:F0} ms, real-time factor {m.RealTimeFactor:F3}, {m.AllocatedBytesPerToken:F0} bytes allocated per token {DemoChecks.Verdict(pass)}"));
        return pass;
    }
}
