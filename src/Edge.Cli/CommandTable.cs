using System.Globalization;
using Edge.Cli.Arguments;
using Edge.Onnx.Providers;
using Edge.Packages;
using Edge.Speech.Cloning;
using Edge.Speech.Synthesis;

namespace Edge.Cli;

/// <summary>
/// Every <c>edge</c> command with its positionals and options: the one list the parser accepts, the help prints and the
/// shell completions (<c>edge completion</c>) are generated from. docs/cli.md describes the same options at length.
/// </summary>
internal static class CommandTable
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    private static OptionSpec Flag(string name, string help) => new(name, ValueKind.Flag, help);

    private static OptionSpec Json(string what = "the figures") => Flag("--json", $"print {what} as JSON (keys: docs/cli.md)");

    private static OptionSpec Choice(string name, IReadOnlyList<string> choices, string help, string @default = "") =>
        new(name, ValueKind.Choice, help) { Choices = choices, Default = @default };

    private static OptionSpec Value(string name, ValueKind kind, string value, string help, string @default = "", bool required = false) =>
        new(name, kind, help) { Value = value, Default = @default, Required = required };

    private static OptionSpec Output(string value, string help, bool required, ValueKind kind = ValueKind.OutputFile) =>
        new("--output", kind, help) { Value = value, Required = required, Alias = "-o" };

    private static readonly PositionalSpec Pkg = new("PKG", ValueKind.Package, "a model package: a folder holding model.json, or a zip of one");

    private static readonly OptionSpec Profile = Value("--profile", ValueKind.InputFile, "F",
        "a device profile (device-profiles/*.json, or one 'edge profile detect' wrote): backend, precision, threads; options on the line win");

    private static readonly OptionSpec Precision = Choice("--precision", WeightPrecisions.Names,
        "how the CPU backend keeps the weight matrices in memory", "as the package stores them");

    private static readonly OptionSpec Threads = Value("--threads", ValueKind.Number, "N",
        "1 ... 256 threads for a step's large matrix products on the CPU backend (same outputs bit for bit)",
        "1, or one a core up to 4 when a step reads 64 MB+");

    /// <summary>The options of the commands that load a model on a backend of their choice.</summary>
    private static readonly OptionSpec[] Backend =
    [
        Choice("--backend", ["cpu", "onnx"], "cpu: Edge's own SIMD kernels; onnx: the package's step.onnx through ONNX Runtime", "cpu, or the one --profile picks"),
        Choice("--ep", DeviceProfile.KnownProviders, "the ONNX Runtime execution provider; only with --backend onnx", "cpu"),
        Profile, Precision, Threads,
    ];

    /// <summary>The options of the commands that load their models on the CPU backend.</summary>
    private static readonly OptionSpec[] Cpu = [Precision, Threads, Profile];

    private static readonly SpeechSynthesizerOptions Speech = new();

    /// <summary>Every command, in the order the usage lists them.</summary>
    public static IReadOnlyList<CommandSpec> All { get; } =
    [
        new("info", "the processor, cores, SIMD, backends and ONNX Runtime providers", [], [Json("the machine and backends")],
            ["edge info", "edge info --json"]),

        new("run", "step a model over an .npy file and write the outputs", [Pkg],
        [
            Value("--input", ValueKind.InputFile, "IN.npy", "the inputs, [T, F] (one row per step); gla-tts: audio token ids", required: true),
            Value("--output", ValueKind.OutputFile, "OUT.npy", "the outputs, float32 [T, O]", required: true),
            Value("--state-in", ValueKind.InputFile, "F", "start from this state file", "the model's initial state"),
            Value("--state-out", ValueKind.OutputFile, "F", "save the state after the last step"),
            Value("--text", ValueKind.Text, "\"...\"", "gla-tts (required there): the text the steps are conditioned on"),
            Value("--voice", ValueKind.InputFile, "F", "gla-tts: start from a voice file"),
            Value("--voice-out", ValueKind.OutputFile, "F", "gla-tts: save the memory after the run as a voice"),
            .. Backend,
        ],
        [
            "edge run models/gru-attention-ecg --input models/gru-attention-ecg/golden/input.npy --output ecg.npy --state-out ecg.state",
            "edge run models/gru-attention-ecg --input models/gru-attention-ecg/golden/input.npy --output ecg-onnx.npy --backend onnx",
        ]),

        new("bench", "time a model's steps: µs per step, steps/s, bytes allocated per step",
            [Pkg with { Required = false, Help = "a model package (not with --gla-release)" }],
        [
            Value("--steps", ValueKind.Number, "N", "steps to time", "100,000; --soak 10,000,000; --gla-release 100"),
            Value("--warmup", ValueKind.Number, "N", "steps to run before timing (--vs-transformer: seconds per model)", "2,000; --gla-release 10; --vs-transformer 3 s"),
            Flag("--compare", "time the cpu and the onnx backend one after the other and print onnx/cpu"),
            Value("--batch", ValueKind.Number, "B", "step B streams together (one StreamBatch) against one stream alone"),
            Flag("--roofline", "add bytes and FLOPs per step, the measured bandwidth and peak FLOP rate, and the fraction reached"),
            Flag("--vs-transformer", "an aaren model against a causal Transformer with a growing KV cache"),
            Value("--lengths", ValueKind.Text, "L,L,...", "--vs-transformer: the step counts to measure at, ascending", "1000,10000,100000"),
            Value("--window", ValueKind.Number, "N", "--vs-transformer: steps before each length the timings cover", "1000"),
            Value("--plot", ValueKind.OutputFile, "OUT.png", "--vs-transformer: draw µs per step and bytes against length"),
            Flag("--soak", "one stream over adversarial inputs; exit 1 when a value goes non-finite"),
            Flag("--gla-release", "gla-tts at release size with random weights made in memory (no PKG; about a minute)"),
            .. Backend,
            Json(),
        ],
        [
            "edge bench models/gru-attention-ecg --steps 2000",
            "edge bench models/gru-attention-ecg --steps 2000 --warmup 100 --compare",
            "edge bench models/aaren-co2 --vs-transformer --lengths 100,1000 --window 50 --warmup 0",
            "edge bench models/gru-attention-ecg --soak --steps 6000 --json",
        ]),

        new("forecast", "stream a CSV column through a forecaster and forecast the held-out rows", [Pkg],
        [
            Value("--csv", ValueKind.InputFile, "FILE", "the series, one row per step", required: true),
            Value("--column", ValueKind.Text, "C", "the column to forecast", "model.json's, else the only column besides the time"),
            Value("--time-column", ValueKind.Text, "C", "the column of dates or times", "model.json's"),
            Value("--horizon", ValueKind.Number, "N", "steps to forecast", "the model's season, else 24"),
            Value("--holdout", ValueKind.Number, "N", "last rows kept back as the truth to compare with", "the horizon"),
            Value("--start-row", ValueKind.Number, "N", "stream from this data row on (earlier rows only feed lags)", "0"),
            Choice("--missing", ["interpolate", "error"], "what an empty cell does", "interpolate"),
            Value("--plot", ValueKind.OutputFile, "OUT.png", "draw history, forecast and truth"),
            .. Backend,
            Json("the forecast"),
        ],
        ["edge forecast models/aaren-co2 --csv models/aaren-co2/co2.csv --horizon 52 --plot co2.png"]),

        new("pdm", "replay a laser aging run through the predictive-maintenance pipeline", [],
        [
            Value("--csv", ValueKind.InputFile, "RUN.csv", "the run: bias_ma, monitor_ua, case_temp_c and a time column", required: true),
            Value("--models", ValueKind.InputFolder, "DIR", "a folder with laser-predictor, laser-detector and laser-rul", "the embedded ones"),
            Value("--plot", ValueKind.OutputFile, "OUT.png", "draw the signal, the score with its threshold, and the RUL"),
            Value("--state-in", ValueKind.InputFile, "F", "resume the whole pipeline from this state file"),
            Value("--state-out", ValueKind.OutputFile, "F", "save the whole pipeline's state at the end"),
            .. Cpu,
            Json("one JSON line per event"),
        ],
        [
            "edge pdm --csv models/laser-aging/data/test/unit_058.csv",
            "edge pdm --csv models/laser-aging/data/test/unit_058.csv --json --state-out unit58.state",
        ]),

        new("tts", "speak a text into a WAV file (and/or the speaker)",
            [new PositionalSpec("TEXT", ValueKind.Text, "the text to speak; '-' or none: read standard input", Required: false)],
        [
            Output("OUT.wav", "the WAV to write (16-bit mono); needed unless --play", required: false),
            Value("--model", ValueKind.Package, "PKG", "a voice package", "the embedded tts-default"),
            Value("--voice", ValueKind.Voice, "F", "a voice file, or the name of one of the package's voices", "the package's default voice"),
            Value("--text-file", ValueKind.InputFile, "F", "read the text from this file"),
            Value("--seed", ValueKind.Number, "N", "the sampling seed", "0"),
            Value("--top-k", ValueKind.Number, "N", "sample among the N likeliest codes", Speech.TopK.ToString(C)),
            Value("--temperature", ValueKind.Number, "T", "0.01 ... 10: the sampling temperature", Speech.Temperature.ToString(C)),
            Value("--rate", ValueKind.Number, "HZ", "resample the WAV to this rate (8000 ... 192000)", "the codec's rate"),
            Flag("--play", "play the audio through aplay as it is made"),
            .. Cpu,
            Json("load time, time to first audio, real-time factor"),
        ],
        ["edge tts \"the weather is nice today.\" -o hello.wav --json"]),

        new("clone", "make a voice from a reference clip, without training",
            [new PositionalSpec("REF.wav", ValueKind.InputFile, "the reference clip (WAV, any rate, mono or stereo)")],
        [
            Output("VOICE.safetensors", "the voice file to write", required: true),
            Value("--text", ValueKind.Text, "\"...\"", "the clip's transcript (a closer voice)", "none"),
            Value("--model", ValueKind.Package, "PKG", "the voice package the voice is for", "the embedded tts-default"),
            Value("--max-seconds", ValueKind.Number, "S", "most speech read from the clip, 0.5 ... 600", new VoiceClonerOptions().MaxPrompt.TotalSeconds.ToString(C)),
            .. Cpu,
            Json(),
        ],
        ["edge clone models/silero-vad/testdata/speech.wav -o voice.safetensors --json"]),

        new("quantize", "copy a package with its weight matrices stored at fp16, int8 or q4", [Pkg with { Kind = ValueKind.InputFolder, Help = "a model package folder" }],
        [
            Choice("--precision", ["fp16", "int8", "q4"], "the precision to store the matrices at") with { Required = true },
            Output("FOLDER", "the new package folder", required: true, ValueKind.OutputFolder),
            Json(),
        ],
        ["edge quantize models/gru-attention-ecg --precision int8 -o ecg-int8-pkg"]),

        new("import", "make a stateful ONNX graph a package (family onnx-stateful)",
            [new PositionalSpec("MODEL.onnx", ValueKind.InputFile, "the graph to import")],
        [
            Output("FOLDER", "the package folder to write", required: true, ValueKind.OutputFolder),
            Value("--const", ValueKind.Text, "NAME=VALUE,...", "values for the graph's scalar inputs"),
            Value("--input-shape", ValueKind.Text, "D,D,...", "the step input's shape, fixing open dimensions"),
            Value("--state", ValueKind.Text, "IN=OUT,...", "state pairs, when the names do not say them"),
            Value("--input", ValueKind.Text, "NAME", "the step input", "the one input that is not state or constant"),
            Value("--step-output", ValueKind.Text, "NAME", "the step output", "the one output that is not state"),
            Value("--name", ValueKind.Text, "NAME", "model.json's name", "the file name"),
            Json(),
        ],
        ["edge import models/silero-vad/model.onnx -o vad-pkg --const sr=16000 --input-shape 1,576"]),

        new("inspect", "a package's family, sizes, state, weights, identity and provenance", [Pkg], [Json("the description")],
            ["edge inspect models/tts-default", "edge inspect models/silero-vad --json"]),

        new("profile", "measure this machine and write a device profile of the fastest settings",
            [new PositionalSpec("ACTION", ValueKind.Choice, "what to do") { Choices = ["detect"] }],
        [
            Output("FILE.json", "the profile to write", required: true),
            Value("--name", ValueKind.Text, "NAME", "the profile's name", "the file name without .json"),
            Flag("--quick", "shorter timings: a few seconds instead of under a minute"),
        ],
        ["edge profile detect -o mine.json --quick"]),

        new("monitor", "the monitoring daemon: sensor streams through the maintenance pipeline, alerts over MQTT", [],
        [
            Value("--config", ValueKind.InputFile, "FILE", "the daemon's config (src/Edge.Monitor/monitor-config.schema.json)", required: true),
            Flag("--check-config", "only read and check the config, and say what would run"),
        ],
        ["edge monitor --config samples/sensor-monitoring-daemon/monitor.json --check-config"]),

        new("demo", "the embedded default models end to end, with their checks (exit 1 when one fails)", [], [], ["edge demo"]),

        new("completion", "print a shell completion script",
            [new PositionalSpec("SHELL", ValueKind.Choice, "the shell") { Choices = ["bash", "zsh", "fish", "pwsh"] }], [],
            ["edge completion bash"]),
    ];

    /// <summary>The command of that name, or null.</summary>
    public static CommandSpec? Find(string name) => All.FirstOrDefault(c => c.Name == name);

    /// <summary>The command names, comma separated, for messages.</summary>
    public static string Names => string.Join(", ", All.Select(c => c.Name));
}
