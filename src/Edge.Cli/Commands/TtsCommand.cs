using Edge.Cli.Arguments;
using Edge.Cli.Demo;
using Edge.Speech.Output;
using Edge.Speech.Synthesis;

namespace Edge.Cli.Commands;

/// <summary>
/// <c>edge tts "TEXT" -o OUT.wav [--model PKG] [--voice F] [--seed N] [--rate HZ] [--play] [--json] [--text-file F]</c>:
/// speaks a text with a voice package (the embedded default without <c>--model</c>), writing the WAV and playing
/// the audio as it is made.
/// </summary>
internal static class TtsCommand
{
    /// <summary>The embedded default voice package's name (models/tts-default).</summary>
    public const string DefaultModel = "tts-default";

    public static int Run(string[] args, TextReader? stdin, TextWriter stdout, TextWriter stderr)
    {
        var a = ParsedArguments.Parse("tts", args);
        a.ExpectPositionals(1);
        string? output = a.OutputPath("--output");
        bool play = a.Flag("--play");
        if (output is null && !play) throw new UsageException("tts: say where the audio goes: -o OUT.wav (and/or --play).");
        int seed = (int)a.Long("--seed", 0, int.MinValue, int.MaxValue);
        int rate = (int)a.Long("--rate", 0, 8000, 192_000);
        var defaults = new SpeechSynthesizerOptions();
        int topK = (int)a.Long("--top-k", defaults.TopK, 1, 100_000);
        float temperature = Temperature(a.Value("--temperature"), defaults.Temperature);
        int limit = defaults.MaxTextCharacters;
        string text = ReadText(a, stdin, limit);
        string package = a.Value("--model") ?? DefaultPackage();
        string? voice = a.Value("--voice") is { } v ? Voice(v, package) : null;
        var loading = System.Diagnostics.Stopwatch.StartNew();
        using var synth = SpeechSynthesizer.Load(package, defaults with { Voice = voice, TopK = topK, Temperature = temperature },
            BackendChoice.CpuOptions(a, "gla-tts"));
        double loadMs = loading.Elapsed.TotalMilliseconds;
        var prepared = synth.Prepare(text);   // every text problem is reported before a file is touched

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCtrlC = (_, e) => { e.Cancel = true; cancel.Cancel(); };
        bool console = ReferenceEquals(stderr, Console.Error);
        if (console) Console.CancelKeyPress += onCtrlC;
        SpeechMetrics metrics;
        string? playProblem = null;
        bool stopped = false;
        int fileRate = rate == 0 ? synth.SampleRate : rate;
        try
        {
            using var wav = output is null ? null : new WavAudioSink(output, synth.SampleRate, fileRate);
            using var player = play ? Player(synth.SampleRate, out playProblem) : null;
            using var stream = synth.CreateStream();
            stream.Begin(text, seed);
            var bar = new ProgressBar(stderr, "tts", prepared.Sentences.Count > 1);
            var buffer = new float[stream.MaxChunkSamples];
            try
            {
                int n;
                while ((n = stream.Read(buffer, cancel.Token)) > 0)
                {
                    wav?.Write(buffer.AsSpan(0, n));
                    player?.Write(buffer.AsSpan(0, n));
                    bar.Report((double)stream.SentencesDone / stream.SentenceCount);
                }
                bar.Report(1);
            }
            catch (OperationCanceledException)
            {
                stopped = true;
            }
            metrics = stream.Metrics;
            if (player is not null)
            {
                player.Dispose();
                playProblem ??= player.Problem;
            }
        }
        finally
        {
            if (console) Console.CancelKeyPress -= onCtrlC;
        }

        if (playProblem is not null)
            stderr.WriteLine($"edge: tts --play: {playProblem}; " + (output is null ? "nothing was played." : $"the audio is still written to {output}."));
        if (stopped) stderr.WriteLine($"edge: tts: stopped after {metrics.AudioSeconds:F2} s of audio" + (output is null ? "." : $"; {output} holds what was spoken."));
        if (a.Flag("--json"))
        {
            stdout.WriteLine(JsonOutput.Serialize(new TtsReport(output, fileRate, synth.SampleRate, metrics.Sentences, metrics.SentencesAtStepLimit,
                metrics.Tokens, Math.Round(metrics.AudioSeconds, 3), Math.Round(loadMs, 1), Math.Round(metrics.TimeToFirstAudio.TotalMilliseconds, 1),
                Math.Round(metrics.RealTimeFactor, 4), Math.Round(metrics.AllocatedBytesPerToken, 2), seed, topK, Math.Round(temperature, 4), synth.Voice is null ? null : Path.GetFileName(synth.Voice), stopped)));
        }
        else
        {
            stdout.WriteLine($"{output ?? "played"}: {metrics.AudioSeconds:F2} s of speech at {fileRate} Hz, {metrics.Sentences} sentence(s), {metrics.Tokens} tokens; "
                + $"first audio after {metrics.TimeToFirstAudio.TotalMilliseconds:F0} ms, real-time factor {metrics.RealTimeFactor:F3}");
        }
        return stopped ? EdgeCommandLine.UserError : 0;
    }

    /// <summary>The <c>--json</c> fields (docs/cli.md lists them).</summary>
    internal sealed record TtsReport(string? Output, int SampleRate, int CodecSampleRate, int Sentences, int SentencesAtStepLimit, long Tokens,
        double AudioSeconds, double LoadMs, double TimeToFirstAudioMs, double RealTimeFactor, double AllocBytesPerToken, int Seed, int TopK, double Temperature, string? Voice, bool Stopped);

    // TEXT, --text-file, or standard input (TEXT "-", or no TEXT while stdin is redirected); never more than the limit is read.
    private static string ReadText(ParsedArguments a, TextReader? stdin, int limit)
    {
        string? positional = a.Positionals.Count > 0 ? a.Positionals[0] : null;
        string? file = a.Value("--text-file");
        if (file is not null && positional is not null)
            throw new UsageException("tts: give the text once: as TEXT or with --text-file, not both.");
        if (file is not null)
        {
            using var reader = new StreamReader(file);
            return ReadCapped(reader, limit);
        }
        if (positional is not null and not "-") return positional;
        if (stdin is null)
            throw new UsageException(positional is "-"
                ? "tts: TEXT is '-' but standard input is a terminal; pipe the text in (echo \"hello.\" | edge tts - -o OUT.wav)."
                : "tts: give the text to speak: edge tts \"TEXT\" -o OUT.wav, --text-file F, or pipe it on standard input.");
        return ReadCapped(stdin, limit);
    }

    // One character over the limit is enough for the synthesizer to say the text is too long.
    private static string ReadCapped(TextReader reader, int limit)
    {
        var buffer = new char[limit + 1];
        int total = 0, n;
        while (total < buffer.Length && (n = reader.Read(buffer, total, buffer.Length - total)) > 0) total += n;
        return new string(buffer, 0, total);
    }

    internal static string DefaultPackage(string command = "tts")
    {
        try
        {
            return DemoModels.Extract(DefaultModel);
        }
        catch (EdgeException e) when (e.Code == EdgeErrorCode.FileNotFound)
        {
            throw new UsageException($"{command}: the default voice model is not embedded in this build of edge (models/tts-default/model.json was not there when it was built); give a voice package with --model PKG.");
        }
    }

    private static float Temperature(string? value, float fallback)
    {
        if (value is null) return fallback;
        if (!double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double t) || !(t >= 0.01 && t <= 10))
            throw new UsageException($"tts: --temperature must be a number between 0.01 and 10, got '{MessageText.Value(value, 40)}'.");
        return (float)t;
    }

    // A voice file, or the name of one of the package's voices (other, other.safetensors).
    private static string Voice(string voice, string package)
    {
        if (File.Exists(voice)) return voice;
        string folder = Path.Combine(package, "voices");
        string named = Path.Combine(folder, voice.EndsWith(".safetensors", StringComparison.Ordinal) ? voice : voice + ".safetensors");
        if (voice.IndexOfAny(['/', '\\']) < 0 && File.Exists(named)) return named;
        string known = Directory.Exists(folder) ? string.Join(", ", Directory.GetFiles(folder, "*.safetensors").Select(Path.GetFileNameWithoutExtension).Order()) : "";
        throw new UsageException($"tts: --voice '{MessageText.Value(voice, 200)}' does not exist; give a voice file (.safetensors)"
            + (known.Length > 0 ? $" or one of the package's voices: {known}." : "."));
    }

    private static AplayPlayer? Player(int sampleRate, out string? problem)
    {
        problem = null;
        if (!OperatingSystem.IsLinux())
        {
            problem = "this build plays audio only on Linux (through aplay)";
            return null;
        }
        var player = new AplayPlayer(sampleRate);
        problem = player.Problem;
        return player;
    }
}
