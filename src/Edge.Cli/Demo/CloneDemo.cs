using System.Globalization;
using Edge.Cli.Commands;
using Edge.Speech.Cloning;
using Edge.Speech.Synthesis;

namespace Edge.Cli.Demo;

/// <summary>
/// Voice cloning with the embedded default voice, as samples/tts-voice-cloning does it with an espeak-ng clip: a clip
/// spoken by another of the package's voices (so the demo needs no program outside edge) is cloned, and the clone speaks.
/// Checks that the voice file has the model's fixed size for a short and a long clip and that reading the clip allocates nothing per frame.
/// </summary>
internal static class CloneDemo
{
    private const string Speaker = "en-gb-x-rp", Transcript = "the doctor will see you now. put the red box on the top shelf.";

    public static bool Run(TextWriter o)
    {
        var c = CultureInfo.InvariantCulture;
        if (!typeof(CloneDemo).Assembly.GetManifestResourceNames().Contains($"models/{TtsCommand.DefaultModel}/model.json"))
        {
            o.WriteLine($"voice cloning (samples/tts-voice-cloning): {TtsCommand.DefaultModel} is not embedded in this build; edge clone needs --model PKG");
            return true;
        }
        string package = DemoModels.Extract(TtsCommand.DefaultModel);
        string folder = Path.Combine(Path.GetTempPath(), $"edge-demo-clone-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        using var tts = SpeechSynthesizer.Load(package);
        float[] clip = SpeakWith(tts, Path.Combine(package, "voices", Speaker + ".safetensors"), Transcript);
        float[] longClip = [.. clip, .. clip, .. clip, .. clip];
        using var cloner = new VoiceCloner(tts.Model, tts.Codec);
        var first = cloner.Clone(clip, Transcript, Path.Combine(folder, "voice.safetensors"));
        var again = cloner.Clone(longClip, Transcript + " " + Transcript, Path.Combine(folder, "voice-long.safetensors"));
        float[] spoken = SpeakWith(tts, first.VoicePath, TtsDemo.Sentence);
        bool pass = first.VoiceBytes == again.VoiceBytes && again.AllocatedBytesPerFrame == 0 && spoken.Length > 0;
        o.WriteLine($"voice cloning (samples/tts-voice-cloning runs it on an espeak-ng clip with similarity figures): a clip in the package's {Speaker} voice");
        o.WriteLine(string.Create(c, $"  clone          {first.ClipSeconds:F2} s clip → {first.VoicePath}: {first.VoiceBytes} bytes; a {again.ClipSeconds:F2} s clip gives {again.VoiceBytes} bytes"));
        o.WriteLine(string.Create(c, $"  speak          \"{TtsDemo.Sentence}\" with the clone: {spoken.Length / (double)tts.SampleRate:F2} s; reading the clip allocated {again.AllocatedBytesPerFrame:F0} bytes per frame {DemoChecks.Verdict(pass)}"));
        return pass;
    }

    private static float[] SpeakWith(SpeechSynthesizer tts, string voice, string text)
    {
        using var stream = tts.CreateStream(voice);
        stream.Begin(text, seed: 1);
        var buffer = new float[stream.MaxChunkSamples];
        var all = new List<float>();
        int n;
        while ((n = stream.Read(buffer)) > 0) all.AddRange(buffer.AsSpan(0, n));
        return [.. all];
    }
}
