using Edge.Cli.Arguments;
using Edge.Formats.Npy;
using Edge.Streams;

namespace Edge.Cli.Commands;

/// <summary><c>edge run PKG --input IN.npy --output OUT.npy [--state-in F] [--state-out F] [--backend cpu|onnx] [--ep …] [--profile F] [--text "…"] [--voice F] [--voice-out F]</c>.</summary>
internal static class RunCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var a = ParsedArguments.Parse("run", args);
        string pkg = a.Positional(0, "PKG (a model package folder or zip)");
        a.ExpectPositionals(1);
        string inputPath = a.Required("--input");
        string outputPath = a.OutputPath("--output") ?? a.Required("--output");
        a.OutputPath("--state-out");
        a.OutputPath("--voice-out");
        var backend = BackendChoice.From(a, stderr, pkg);

        var input = NpyFile.Read(inputPath);
        using var model = EdgeModel.Load(pkg, BackendChoice.LoadOptions(backend, a, pkg));
        int f = model.InputSize;
        bool fits = input.Shape.Length == 2 ? input.Shape[1] == f : input.Shape.Length == 1 && f == 1;
        if (!fits)
            throw new EdgeException(EdgeErrorCode.InvalidInput,
                $"{inputPath}: shape {Shape(input.Shape)} does not fit this model, which takes [T, {f}] float32 (one row per step).");
        int steps = input.Rows;

        using var stream = model.CreateStream();
        Condition(stream, a, pkg);
        if (a.Value("--state-in") is { } stateIn) stream.LoadState(stateIn);
        var output = new float[(long)steps * model.OutputSize];
        var bar = new ProgressBar(stderr, "run", steps >= 200_000);
        for (int t = 0; t < steps; t++)
        {
            stream.Step(input.Row(t), output.AsSpan(t * model.OutputSize, model.OutputSize));
            if ((t & 0xFFFF) == 0xFFFF) bar.Report((t + 1.0) / steps);
        }
        bar.Report(1);
        NpyFile.Write(outputPath, new NpyArray([steps, model.OutputSize], output));
        if (a.Value("--state-out") is { } stateOut) stream.SaveState(stateOut);
        if (a.Value("--voice-out") is { } voiceOut) stream.GetFeature<IVoiceConditioning>()!.SaveVoice(voiceOut);
        stdout.WriteLine($"{steps} steps of {model.Family} ({model.BackendName}) → {outputPath} [{steps}, {model.OutputSize}]");
        return 0;
    }

    // The voice sets the initial state (a later --state-in replaces it); the text is encoded on every call,
    // since state files hold only the recurrent state.
    private static void Condition(ModelStream stream, ParsedArguments a, string pkg)
    {
        var text = stream.GetFeature<ITextConditioning>();
        var voice = stream.GetFeature<IVoiceConditioning>();
        string family = stream.Model.Family;
        if (a.Value("--text") is { } t)
        {
            if (text is null) throw new UsageException($"run: --text conditions text-to-speech models; {pkg} is a {family} model, which takes no text.");
            text.SetText(t);
        }
        else if (text is not null)
        {
            throw new UsageException($"run: {pkg} is a {family} model: give the text its tokens are conditioned on with --text \"…\".");
        }
        if (voice is null && (a.Value("--voice") is not null || a.Value("--voice-out") is not null))
            throw new UsageException($"run: --voice and --voice-out need a model with voices (gla-tts); {pkg} is a {family} model.");
        if (a.Value("--voice") is { } v) voice!.LoadVoice(v);
    }

    private static string Shape(int[] s) => "[" + string.Join(", ", s) + "]";
}
