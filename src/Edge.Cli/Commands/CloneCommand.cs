using Edge.Cli.Arguments;
using Edge.Speech.Cloning;

namespace Edge.Cli.Commands;

/// <summary>
/// <c>edge clone REF.wav -o VOICE.safetensors [--text "transcript"] [--model PKG] [--json]</c>: makes a voice file from a
/// reference clip without training (the decoder's memory after reading the clip), for <c>edge tts --voice</c>.
/// </summary>
internal static class CloneCommand
{
    public static int Run(string[] args, TextWriter stdout)
    {
        var a = ParsedArguments.Parse("clone", args);
        a.ExpectPositionals(1);
        string wav = a.Positional(0, "the reference clip REF.wav");
        string output = a.Required("--output");   // the clip exists and the voice's folder does: checked as parsed
        var defaults = new VoiceClonerOptions();
        double seconds = a.Value("--max-seconds") is { } s ? Seconds(s) : defaults.MaxPrompt.TotalSeconds;
        string package = a.Value("--model") ?? TtsCommand.DefaultPackage("clone");
        using var cloner = VoiceCloner.Load(package, defaults with { MaxPrompt = TimeSpan.FromSeconds(seconds) }, BackendChoice.CpuOptions(a, "gla-tts"));
        var r = cloner.CloneWav(wav, a.Value("--text"), output);
        if (a.Flag("--json"))
        {
            stdout.WriteLine(JsonOutput.Serialize(new CloneReport(r.VoicePath, Math.Round(r.ClipSeconds, 3), Math.Round(r.PromptSeconds, 3), r.Frames,
                r.Transcript, r.VoiceBytes, Math.Round(r.AllocatedBytesPerFrame, 2))));
        }
        else
        {
            stdout.WriteLine($"{r.VoicePath}: voice from {r.PromptSeconds:F2} s of speech ({r.ClipSeconds:F2} s clip, {r.Frames} frames), {r.VoiceBytes} bytes"
                + (r.Transcript.Length == 0 ? "; no transcript (give --text for a closer voice)" : ""));
        }
        return 0;
    }

    /// <summary>The <c>--json</c> fields (docs/cli.md lists them).</summary>
    internal sealed record CloneReport(string Voice, double ClipSeconds, double PromptSeconds, int Frames, string Transcript, long VoiceBytes, double AllocBytesPerFrame);

    private static double Seconds(string value)
    {
        if (!double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double t) || !(t >= 0.5 && t <= 600))
            throw new UsageException($"clone: --max-seconds must be a number of seconds between 0.5 and 600, got '{MessageText.Value(value, 40)}'.");
        return t;
    }
}
