namespace Edge.Cli.Tests;

/// <summary>
/// Every usage mistake on every command is one line, exit 2, that names what was wrong and lists that command's options
/// (not the whole usage); every path is checked before any work, so a typo costs nothing.
/// </summary>
public class UsageErrorTests : IDisposable
{
    private static readonly string Ecg = RepoPaths.Models("gru-attention-ecg");
    private static readonly string Input = Path.Combine(RepoPaths.Models("gru-attention-ecg"), "golden", "input.npy");
    private static readonly string Co2 = RepoPaths.Models("aaren-co2");
    private static readonly string Unit58 = Path.Combine(RepoPaths.Models("laser-aging"), "data", "test", "unit_058.csv");
    private static readonly string Onnx = Path.Combine(RepoPaths.Models("silero-vad"), "model.onnx");
    private static readonly string Wav = Path.Combine(RepoPaths.Models("silero-vad"), "testdata", "speech.wav");
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    // OUT: a file in the temporary folder; EMPTY: an existing folder with no model.json (loading it would fail).
    public static TheoryData<string[], string> Mistakes => new()
    {
        { ["demo", "--json"], "demo: unknown option '--json'." },
        { ["info", "--jsn"], "info: unknown option '--jsn' (did you mean --json?)." },
        { ["run", Ecg, "--input", Input, "--output", "OUT", "--back", "onnx"], "run: unknown option '--back' (did you mean --backend?)." },
        { ["run", Ecg, "--input"], "run: --input needs a value." },
        { ["run", Ecg, "--input", Input, "--output", "OUT", "--backend", "gpu"], "run: --backend must be one of cpu, onnx, got 'gpu'." },
        { ["run", Ecg, "--input", Input, "--output", "OUT", "--precision", "fp8"], "run: --precision must be one of fp32, fp16, int8, q4, got 'fp8'." },
        { ["run", Ecg, "--input", Input, "--output", "OUT", "--backend", "onnx", "--ep", "tpu"], "run: --ep must be one of cpu, cuda, dml, got 'tpu'." },
        { ["run", Ecg, "--input", Input, "--output", "OUT", "--ep", "cuda"], "run: --ep chooses an ONNX Runtime execution provider; use it with --backend onnx." },
        { ["run", Ecg, "--output", "OUT"], "run: --input is required; give --input IN.npy." },
        { ["run"], "run: PKG (a model package: a folder holding model.json, or a zip of one) is required." },
        { ["run", Ecg, "extra", "--input", Input, "--output", "OUT"], "run: unexpected argument 'extra'." },
        { ["bench", Ecg, "--steps", "-5"], "bench: --steps must be an integer between 1 and 1000000000, got '-5'." },
        { ["bench", Ecg, "--json=1"], "bench: --json takes no value." },
        { ["bench"], "bench: PKG (a model package folder or zip) is required." },
        { ["forecast", Co2], "forecast: --csv is required; give --csv FILE." },
        { ["forecast", Co2, "--csv", Path.Combine(Co2, "co2.csv"), "--missing", "zero"], "forecast: --missing must be one of interpolate, error, got 'zero'." },
        { ["pdm"], "pdm: --csv is required; give --csv RUN.csv." },
        { ["pdm", "--csv", Unit58, "--threads", "0"], "pdm: --threads must be an integer between 1 and 256, got '0'." },
        { ["tts", "hello.", "-o", "OUT", "--top-k"], "tts: --top-k needs a value." },
        { ["clone", Wav], "clone: -o is required; give -o VOICE.safetensors." },
        { ["quantize", Ecg, "-o", "OUT"], "quantize: --precision is required; give --precision fp16|int8|q4." },
        { ["quantize", Ecg, "--precision", "fp32", "-o", "OUT"], "quantize: --precision must be one of fp16, int8, q4, got 'fp32'." },
        { ["import", Onnx], "import: -o is required; give -o FOLDER." },
        { ["inspect"], "inspect: PKG (a model package: a folder holding model.json, or a zip of one) is required." },
        { ["profile", "measure", "-o", "OUT"], "profile: ACTION must be one of detect, got 'measure'." },
        { ["profile", "detect"], "profile: -o is required; give -o FILE.json." },
        { ["monitor"], "monitor: --config is required; give --config FILE." },
        { ["monitor", "--config"], "monitor: --config needs a value." },
        { ["completion", "tcsh"], "completion: SHELL must be one of bash, zsh, fish, pwsh, got 'tcsh'." },
        { ["completion"], "completion: SHELL (the shell) is required." },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void A_usage_mistake_is_one_line_exit_2_naming_it_and_listing_the_commands_options(string[] args, string says)
    {
        var r = CliRunner.Run([.. args.Select(a => a == "OUT" ? _tmp.File("out.file") : a)]);
        Assert.True(r.ExitCode == 2, $"edge {string.Join(' ', args)}: exit {r.ExitCode}, {r.Stderr}");
        string line = Assert.Single(r.ErrorLines);
        Assert.StartsWith("edge: " + says + " ", line);
        var spec = CommandTable.Find(args[0])!;
        Assert.Contains(spec.Options.Count == 0 ? $"'edge {spec.Name}' takes no options" : $"Options of 'edge {spec.Name}': ", line);
        foreach (var option in spec.Options) Assert.Contains(option.Name, line);
        Assert.Contains($"'edge {spec.Name} --help'", line);
        Assert.DoesNotContain("edge run PKG", line);   // not the whole usage
        Assert.Equal("", r.Stdout);
        Assert.False(File.Exists(_tmp.File("out.file")));
    }

    [Fact]
    public void A_choice_lists_its_words_and_a_help_line_its_options_with_defaults()
    {
        string help = CliRunner.Run("run", "--help").Stdout;
        Assert.Contains("--backend cpu|onnx", help);
        Assert.Contains("--precision fp32|fp16|int8|q4", help);
        Assert.Contains("--ep cpu|cuda|dml", help);
        Assert.Contains("(default: cpu, or the one --profile picks)", help);
        Assert.Contains("--input IN.npy", help);
        Assert.Contains("required. the inputs", help);
    }

    // PKG, EMPTY (a folder that is no package: loading it would be the first error), FILE (an existing file), OUT (a new file),
    // NONEMPTY (a folder holding a file): the path named in the expected message is the one checked first.
    public static TheoryData<string[], string> BadPaths => new()
    {
        { ["run", "/no/such/pkg", "--input", Input, "--output", "OUT"], "run: PKG '/no/such/pkg': no such model package" },
        { ["run", "EMPTY", "--input", "/no/such.npy", "--output", "OUT"], "run: --input '/no/such.npy' does not exist." },
        { ["run", "EMPTY", "--input", "NONEMPTY", "--output", "OUT"], "run: --input 'NONEMPTY' is a folder; give a file." },
        { ["run", "EMPTY", "--input", Input, "--output", "OUT", "--state-in", "/no/such.state"], "run: --state-in '/no/such.state' does not exist." },
        { ["run", "EMPTY", "--input", Input, "--output", "OUT", "--voice", "/no/such-voice.safetensors"], "run: --voice '/no/such-voice.safetensors' does not exist." },
        { ["run", "EMPTY", "--input", Input, "--output", "OUT", "--profile", "/no/such-profile.json"], "run: --profile '/no/such-profile.json' does not exist." },
        { ["run", "EMPTY", "--input", Input, "--output", "NONEMPTY"], "run: --output 'NONEMPTY' is a folder; name a file to write." },
        { ["run", "EMPTY", "--input", Input, "--output", "/no/such/folder/out.npy"], "run: --output '/no/such/folder/out.npy' is in folder '/no/such/folder', which does not exist" },
        { ["run", "EMPTY", "--input", Input, "--output", "/proc/edge-out.npy"], "run: --output '/proc/edge-out.npy' cannot be written" },
        { ["run", "EMPTY", "--input", Input, "--output", "OUT", "--state-out", "/no/such/s.state"], "run: --state-out '/no/such/s.state' is in folder '/no/such'" },
        { ["run", "EMPTY", "--input", Input, "--output", "OUT", "--voice-out", "NONEMPTY"], "run: --voice-out 'NONEMPTY' is a folder" },
        { ["bench", "/no/such/pkg"], "bench: PKG '/no/such/pkg': no such model package" },
        { ["bench", "EMPTY", "--vs-transformer", "--plot", "/no/such/plot.png"], "bench: --plot '/no/such/plot.png' is in folder '/no/such'" },
        { ["forecast", "EMPTY", "--csv", "/no/such.csv"], "forecast: --csv '/no/such.csv' does not exist." },
        { ["forecast", "EMPTY", "--csv", Path.Combine(Co2, "co2.csv"), "--plot", "NONEMPTY"], "forecast: --plot 'NONEMPTY' is a folder" },
        { ["pdm", "--csv", "/no/such.csv"], "pdm: --csv '/no/such.csv' does not exist." },
        { ["pdm", "--csv", Unit58, "--models", "/no/such/models"], "pdm: --models '/no/such/models' does not exist." },
        { ["pdm", "--csv", Unit58, "--models", "FILE"], "pdm: --models 'FILE' is a file; give a folder." },
        { ["tts", "hello.", "-o", "OUT", "--model", "/no/such/voice-pkg"], "tts: --model '/no/such/voice-pkg': no such model package" },
        { ["tts", "--text-file", "/no/such.txt", "-o", "OUT"], "tts: --text-file '/no/such.txt' does not exist." },
        { ["clone", "/no/such.wav", "-o", "OUT"], "clone: REF.wav '/no/such.wav' does not exist." },
        { ["clone", Wav, "-o", "OUT", "--model", "/no/such/voice-pkg"], "clone: --model '/no/such/voice-pkg': no such model package" },
        { ["clone", Wav, "-o", "/no/such/voice.safetensors"], "clone: --output '/no/such/voice.safetensors' is in folder '/no/such'" },
        { ["quantize", "/no/such/pkg", "--precision", "int8", "-o", "OUT"], "quantize: PKG '/no/such/pkg' does not exist." },
        { ["quantize", "FILE", "--precision", "int8", "-o", "OUT"], "quantize: PKG 'FILE' is a file; give a folder." },
        { ["quantize", Ecg, "--precision", "int8", "-o", "NONEMPTY"], "quantize: --output 'NONEMPTY' already exists and is not empty; name a new folder to write." },
        { ["quantize", Ecg, "--precision", "int8", "-o", "FILE"], "quantize: --output 'FILE' is a file; name a new folder to write." },
        { ["import", "/no/such.onnx", "-o", "OUT"], "import: MODEL.onnx '/no/such.onnx' does not exist." },
        { ["import", "NONEMPTY", "-o", "OUT"], "import: MODEL.onnx 'NONEMPTY' is a folder; give a file." },
        { ["import", Onnx, "-o", "NONEMPTY"], "import: --output 'NONEMPTY' already exists and is not empty" },
        { ["import", Onnx, "-o", "/no/such/vad-pkg"], "import: --output '/no/such/vad-pkg' is in folder '/no/such'" },
        { ["inspect", "/no/such/pkg"], "inspect: PKG '/no/such/pkg': no such model package" },
        { ["profile", "detect", "-o", "NONEMPTY"], "profile: --output 'NONEMPTY' is a folder" },
        // Written only at the end of the work (a minute of timings, a forecast): refused before it starts.
        { ["profile", "detect", "-o", "/proc/edge-profile.json"], "profile: --output '/proc/edge-profile.json' cannot be written" },
        { ["forecast", "EMPTY", "--csv", Path.Combine(Co2, "co2.csv"), "--plot", "/proc/edge-plot.png"], "forecast: --plot '/proc/edge-plot.png' cannot be written" },
        { ["pdm", "--csv", Unit58, "--state-out", "/proc/edge-pdm.state"], "pdm: --state-out '/proc/edge-pdm.state' cannot be written" },
        { ["monitor", "--config", "/no/such/monitor.json"], "monitor: --config '/no/such/monitor.json' does not exist." },
    };

    [Theory]
    [MemberData(nameof(BadPaths))]
    public void A_bad_path_is_refused_before_any_work_in_one_line(string[] args, string says)
    {
        Directory.CreateDirectory(_tmp.File("empty"));
        Directory.CreateDirectory(_tmp.File("nonempty"));
        File.WriteAllText(_tmp.File("nonempty/x.txt"), "x");
        File.WriteAllText(_tmp.File("file"), "not a folder");
        string Place(string a) => a switch
        {
            "OUT" => _tmp.File("out.file"),
            "EMPTY" => _tmp.File("empty"),
            "NONEMPTY" => _tmp.File("nonempty"),
            "FILE" => _tmp.File("file"),
            _ => a,
        };
        var r = CliRunner.Run([.. args.Select(Place)]);
        Assert.True(r.ExitCode == 2, $"edge {string.Join(' ', args)}: exit {r.ExitCode}, {r.Stderr}");
        string line = Assert.Single(r.ErrorLines);
        string expected = says.Replace("NONEMPTY", _tmp.File("nonempty")).Replace("FILE", _tmp.File("file"));
        Assert.StartsWith("edge: " + expected, line);
        Assert.DoesNotContain("Options of", line);   // the path is what was wrong, not how the line is written
        Assert.Equal("", r.Stdout);
        Assert.False(File.Exists(_tmp.File("out.file")) || Directory.Exists(_tmp.File("out.file")));
    }

    [Fact]
    public void After_a_double_dash_every_argument_is_positional()
    {
        var a = Arguments.ParsedArguments.Parse("tts", ["-o", _tmp.File("out.wav"), "--", "--quiet, please."]);
        Assert.Equal(new[] { "--quiet, please." }, a.Positionals);
        Assert.Equal(_tmp.File("out.wav"), a.Value("--output"));
        var line = Assert.Single(CliRunner.Run("tts", "--", "one.", "two.").ErrorLines);
        Assert.StartsWith("edge: tts: unexpected argument 'two.'.", line);
    }

    [Fact]
    public void Quantize_writes_into_an_empty_folder_that_exists()
    {
        // A package folder made beforehand (mkdir) is a place to write, not "a folder where a file was expected".
        string output = _tmp.File("ecg-int8");
        Directory.CreateDirectory(output);
        var r = CliRunner.Run("quantize", Ecg, "--precision", "int8", "-o", output);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.True(File.Exists(Path.Combine(output, "model.json")));
    }
}
