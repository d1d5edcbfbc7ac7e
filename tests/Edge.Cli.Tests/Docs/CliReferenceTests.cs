using System.Text.Json;
using System.Text.RegularExpressions;

namespace Edge.Cli.Tests.Docs;

/// <summary>docs/cli.md says what the command prints: its `--json` keys are the ones printed, and its examples run as written.</summary>
public partial class CliReferenceTests : IDisposable
{
    private static readonly string Doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "cli.md"));
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void Info_json_prints_exactly_the_documented_keys()
    {
        var printed = Keys(Json("info", "--json"));
        Assert.Equal(Documented("edge info"), printed.Order());
    }

    [Fact]
    public void Bench_json_and_compare_json_print_exactly_the_documented_keys()
    {
        string ecg = RepoPaths.Models("gru-attention-ecg");
        var plain = Keys(Json("bench", ecg, "--steps", "200", "--warmup", "10", "--json"));
        var compare = Keys(Json("bench", ecg, "--steps", "200", "--warmup", "10", "--compare", "--json"));
        Assert.Equal(Documented("edge bench"), plain.Union(compare).Order());
    }

    [Fact]
    public void Vs_transformer_json_prints_exactly_the_documented_keys()
    {
        var printed = Keys(Json("bench", RepoPaths.Models("aaren-co2"), "--vs-transformer", "--lengths", "20,40", "--window", "10", "--warmup", "0", "--json"));
        Assert.Equal(Documented("edge bench --vs-transformer"), printed.Order());
    }

    [Fact]
    public void Soak_json_prints_exactly_the_documented_keys()
    {
        string ecg = RepoPaths.Models("gru-attention-ecg");
        var printed = Keys(Json("bench", ecg, "--soak", "--steps", "600", "--json"));
        // max_abs_state and end_abs_state are keyed by the model's state entries, which the model names.
        printed.ExceptWith(["h", "m", "c", "a"]);
        Assert.Equal(Documented("edge bench --soak"), printed.Order());
    }

    [Fact]
    public void Gla_release_json_keys_are_the_documented_ones()
    {
        // Serialized as --gla-release --json prints it, without the minute-long run (0.7 GB of weights).
        var result = new Edge.Diagnostics.GlaReleaseBenchmarkResult(new Dictionary<string, object>(), 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1,
            "machine", 0, "fp32", 1, 2, 1, 1, 1);
        using var doc = JsonDocument.Parse(Edge.Cli.Commands.JsonOutput.Serialize(result));
        Assert.Equal(Documented("edge bench --gla-release"), doc.RootElement.EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public void Gla_release_batch_json_keys_are_the_documented_ones()
    {
        var result = new Edge.Diagnostics.GlaReleaseBatchResult("fp32", 1, 8, 1, 64, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, "machine", 0);
        using var doc = JsonDocument.Parse(Edge.Cli.Commands.JsonOutput.Serialize(result));
        Assert.Equal(Documented("edge bench --gla-release --batch B"), doc.RootElement.EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public void Roofline_json_adds_exactly_the_documented_keys()
    {
        var printed = Json("bench", RepoPaths.Models("gru-attention-ecg"), "--steps", "200", "--warmup", "10", "--roofline", "--json");
        var roofline = Keys(printed.GetProperty("roofline"));
        roofline.Add("roofline");
        Assert.Equal(Documented("edge bench --roofline"), roofline.Order());
    }

    [Fact]
    public void Every_command_answers_help_with_its_own_usage_and_exit_0()
    {
        foreach (string command in Edge.Cli.Usage.Commands.Split(", "))
        {
            foreach (string[] args in new[] { new[] { command, "--help" }, new[] { "help", command } })
            {
                var r = CliRunner.Run(args);
                Assert.True(r.ExitCode == 0, $"edge {string.Join(' ', args)} exited {r.ExitCode}: {r.Stderr}");
                Assert.StartsWith($"edge {command}", r.Stdout);
                Assert.Contains($"docs/cli.md, section 'edge {command}'", r.Stdout);
                Assert.DoesNotContain("\nedge ", r.Stdout.Replace($"\nedge {command}", ""));   // no other command's entry
            }
            // Its options from the command table, each with its values and its default or that it is required; an example.
            string help = CliRunner.Run(command, "--help").Stdout;
            var spec = Edge.Cli.CommandTable.Find(command)!;
            foreach (var option in spec.Options)
            {
                string row = help.Split('\n').Single(l => l.StartsWith("  " + option.Synopsis + " ", StringComparison.Ordinal) || l == "  " + option.Synopsis);
                if (option.Required) Assert.Contains("required.", help[help.IndexOf(row, StringComparison.Ordinal)..].Split('\n').Take(2).Aggregate((a, b) => a + b));
                else if (option.Default.Length > 0) Assert.Contains($"(default: {option.Default})", help);
            }
            Assert.NotEmpty(HelpExamples(help));
        }
        // --help wins over whatever else is on the line, even a missing package.
        Assert.Equal(0, CliRunner.Run("run", "/no/such/package", "--help").ExitCode);
    }

    [Fact]
    public void No_command_prints_the_usage_to_standard_error_with_exit_2_and_unknown_options_point_to_help()
    {
        var r = CliRunner.Run();
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("", r.Stdout);
        Assert.Contains("edge run PKG", r.Stderr);
        var demo = CliRunner.Run("demo", "--json");
        Assert.Equal(2, demo.ExitCode);
        Assert.Equal("edge: demo: unknown option '--json'. 'edge demo' takes no options; 'edge demo --help' shows an example.\n", demo.Stderr);
    }

    [Fact]
    public void Import_and_inspect_json_print_exactly_the_documented_keys()
    {
        string pkg = _tmp.File("vad-pkg");
        var imported = Json("import", Path.Combine(RepoPaths.Models("silero-vad"), "model.onnx"), "-o", pkg, "--const", "sr=16000", "--input-shape", "1,576", "--json");
        // constants are keyed by the graph's input names.
        Assert.Equal(Documented("edge import"), Keys(imported).Except(["sr"]).Order());
        Assert.Equal(576, imported.GetProperty("input_size").GetInt32());
        Assert.Equal("by name", imported.GetProperty("state")[0].GetProperty("how").GetString());

        var inspected = Json("inspect", pkg, "--json");
        Assert.Equal(JsonValueKind.Null, inspected.GetProperty("weights").ValueKind);
        Assert.Equal(imported.GetProperty("sha256").GetString(), inspected.GetProperty("sha256").GetString());
        Assert.Equal(1024, inspected.GetProperty("state_bytes").GetInt32());

        // With a weights file too (the imported package has none); provenance is model.json's own object, with the keys its author chose.
        var tts = Json("inspect", RepoPaths.Models("tts-default"), "--json");
        var keys = Keys(inspected);
        keys.UnionWith(Keys(tts));
        keys.ExceptWith(new[] { inspected, tts }.SelectMany(j => j.GetProperty("provenance").EnumerateObject().Select(p => p.Name)));
        Assert.Equal(Documented("edge inspect"), keys.Order());
        Assert.Equal("fp16", tts.GetProperty("precision").GetString());
        Assert.Equal(3_449_842, tts.GetProperty("weights").GetProperty("parameters").GetInt64());
        Assert.Contains(tts.GetProperty("files").EnumerateArray(), f => f.GetProperty("name").GetString() == "codec/codec.json");
        Assert.DoesNotContain(tts.GetProperty("files").EnumerateArray(), f => f.GetProperty("name").GetString()!.StartsWith("checkpoints/", StringComparison.Ordinal));
    }

    [Fact]
    public void Import_mistakes_are_one_line_with_the_option_to_use()
    {
        string onnx = Path.Combine(RepoPaths.Models("silero-vad"), "model.onnx");
        foreach (var (args, says) in new (string[], string)[]
        {
            (["import", onnx, "-o", _tmp.File("a-pkg")], "--const sr="),
            (["import", onnx, "-o", _tmp.File("a-pkg"), "--const", "sr=16000"], "--input-shape 1,N"),
            (["import", onnx, "-o", _tmp.File("a-pkg"), "--const", "sr"], "NAME=VALUE"),
            (["import", onnx, "-o", _tmp.File("a-pkg"), "--const", "sr=16000", "--input-shape", "1,x"], "positive integers"),
            (["import", onnx, "-o", _tmp.File("a-pkg"), "--const", "sr=fast", "--input-shape", "1,576"], "finite number"),
            (["import", "/no/such.onnx", "-o", _tmp.File("a-pkg")], "does not exist"),
            (["import", onnx], "-o FOLDER"),
            (["inspect", "/no/such/package"], "no such model package"),
        })
        {
            var r = CliRunner.Run(args);
            Assert.True(r.ExitCode == 2, $"edge {string.Join(' ', args)}: exit {r.ExitCode}, {r.Stderr}");
            Assert.Contains(says, r.Stderr);
            Assert.Single(r.Stderr.TrimEnd().Split('\n'));
        }
        Assert.False(Directory.Exists(_tmp.File("a-pkg")));
    }

    [Fact]
    public void Forecast_json_prints_exactly_the_documented_keys()
    {
        string pkg = RepoPaths.Models("aaren-co2");
        var printed = Keys(Json("forecast", pkg, "--csv", Path.Combine(pkg, "co2.csv"), "--horizon", "3", "--json"));
        Assert.Equal(Documented("edge forecast"), printed.Order());
    }

    [Fact]
    public void Every_example_command_runs_as_written_from_the_repository_root()
    {
        var examples = MarkdownText.ShellExamples(Doc).ToList();
        Assert.True(examples.Count >= 8, $"docs/cli.md has {examples.Count} examples");
        RunAll(examples);
    }

    [Fact]
    public void The_readme_try_it_commands_run_as_written()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var examples = MarkdownText.ShellExamples(MarkdownText.Section(readme, "Try it")).ToList();
        Assert.True(examples.Count >= 8, $"the README's Try it has {examples.Count} commands");
        RunAll(examples);
    }

    [Fact]
    public void Every_example_in_a_commands_help_runs_as_written_from_the_repository_root()
    {
        // edge demo runs every embedded model for most of a minute; DemoCommandTests runs it and checks what it prints. An
        // example docs/cli.md shows too (profile detect --quick, a quarter of a minute) is run by the test of its examples.
        var documented = MarkdownText.ShellExamples(Doc).ToHashSet();
        var all = Edge.Cli.CommandTable.All.SelectMany(c => HelpExamples(CliRunner.Run(c.Name, "--help").Stdout)).ToList();
        var examples = all.Where(e => e != "edge demo" && !documented.Contains(e)).ToList();
        Assert.True(all.Count >= 20, $"the helps have {all.Count} examples");
        RunAll(examples);
    }

    // The lines under "Example:" / "Examples …:" of a command's help.
    private static List<string> HelpExamples(string help) =>
        [.. help.Split('\n').SkipWhile(l => !l.StartsWith("Example", StringComparison.Ordinal)).Skip(1).TakeWhile(l => l.StartsWith("  edge ", StringComparison.Ordinal)).Select(l => l.Trim())];

    // One temporary folder for all of them: an example may read what an earlier one wrote (a state file, a package).
    private void RunAll(IEnumerable<string> examples)
    {
        foreach (string example in examples)
        {
            var words = MarkdownText.ShellWords(example, RepoPaths.Root);
            string[] args = [words[1], .. words.Skip(2).Select(Locate)];   // edge COMMAND ARGS…
            var r = CliRunner.Run(args);
            Assert.True(r.ExitCode == 0, $"'{example}' exited {r.ExitCode}: {r.Stderr}");
            Assert.False(string.IsNullOrWhiteSpace(r.Stdout), $"'{example}' printed nothing");
        }
    }

    // Repository paths become absolute (the tests run elsewhere); files an example writes go to the temporary folder.
    private string Locate(string word)
    {
        string inRepo = Path.Combine(RepoPaths.Root, word);
        if (File.Exists(inRepo) || Directory.Exists(inRepo)) return inRepo;
        return OutputName().IsMatch(word) ? _tmp.File(word) : word;
    }

    private static string[] Documented(string heading) => [.. MarkdownText.JsonKeys(MarkdownText.Section(Doc, heading)).Order()];

    private static JsonElement Json(params string[] args)
    {
        var r = CliRunner.Run(args);
        Assert.True(r.ExitCode == 0, $"edge {string.Join(' ', args)} exited {r.ExitCode}: {r.Stderr}");
        using var doc = JsonDocument.Parse(r.Stdout);
        return doc.RootElement.Clone();
    }

    // Every property name at any depth, through arrays too.
    private static HashSet<string> Keys(JsonElement e)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        void Walk(JsonElement x)
        {
            if (x.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in x.EnumerateObject())
                {
                    keys.Add(p.Name);
                    Walk(p.Value);
                }
            }
            else if (x.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in x.EnumerateArray()) Walk(item);
            }
        }
        Walk(e);
        return keys;
    }

    // Files, and package folders named *-pkg, that an example writes.
    [GeneratedRegex(@"^([\w.-]+\.(npy|state|safetensors|png|json|wav)|[\w.-]+-pkg)$")]
    private static partial Regex OutputName();
}
