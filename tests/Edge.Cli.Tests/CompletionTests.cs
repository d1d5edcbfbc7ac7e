using System.Diagnostics;

namespace Edge.Cli.Tests;

/// <summary>
/// <c>edge completion SHELL</c>: the bash script, loaded in a real bash, completes commands, options, the words of a
/// choice and paths; the zsh, fish and PowerShell scripts are run where that shell is installed, and otherwise name every
/// command, option and choice of the command table.
/// </summary>
public class CompletionTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private string Script(string shell)
    {
        var r = CliRunner.Run("completion", shell);
        Assert.True(r.ExitCode == 0, r.Stderr);
        string path = _tmp.File($"edge.{shell}");
        File.WriteAllText(path, r.Stdout);
        return path;
    }

    // COMPREPLY for the command line typed so far (a trailing space starts a new, empty word), from the repository's root.
    private List<string> Bash(string typed)
    {
        // bash splits --option=value at '=' (COMP_WORDBREAKS) into --option, = and value; so does this.
        var words = typed.Split(' ').SelectMany(w => w.StartsWith("--", StringComparison.Ordinal) && w.IndexOf('=') is > 0 and var eq
            ? new[] { w[..eq], "=", w[(eq + 1)..] }.Where(x => x.Length > 0)
            : [w]).ToList();
        var output = RunShell("bash", ["-c", "source \"$1\"; shift; cd \"$1\"; shift; COMP_WORDS=(\"$@\"); COMP_CWORD=$(( $# - 1 )); _edge; printf '%s\\n' \"${COMPREPLY[@]}\"",
            "bash", Script("bash"), RepoPaths.Root, .. words]);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];
    }

    private static string RunShell(string shell, string[] args)
    {
        var start = new ProcessStartInfo(shell) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        string stdout = p.StandardOutput.ReadToEnd();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{shell} exited {p.ExitCode}: {stderr}");
        return stdout;
    }

    private static bool Installed(string shell) =>
        Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(d => d.Length > 0 && File.Exists(Path.Combine(d, shell)));

    public static TheoryData<string, string[]> BashCases => new()
    {
        { "edge r", ["run"] },
        { "edge pr", ["profile"] },
        { "edge run --back", ["--backend"] },
        { "edge run models/gru-attention-ecg --backend ", ["cpu", "onnx"] },
        { "edge run models/gru-attention-ecg --precision ", ["fp16", "fp32", "int8", "q4"] },
        { "edge run models/gru-attention-ecg --backend onnx --ep ", ["cpu", "cuda", "dml"] },
        { "edge run models/gru-attention-ecg --ep=c", ["cpu", "cuda"] },
        { "edge run models/gru-attention-ecg --ep=", ["cpu", "cuda", "dml"] },
        { "edge bench models/gru-attention-ecg --precision i", ["int8"] },
        { "edge forecast models/aaren-co2 --missing ", ["error", "interpolate"] },
        { "edge quantize models/gru-attention-ecg --precision ", ["fp16", "int8", "q4"] },
        { "edge completion ", ["bash", "fish", "pwsh", "zsh"] },
        { "edge profile ", ["detect"] },
        { "edge help in", ["info", "inspect"] },
        { "edge tts hello. -", ["--json", "--model", "--play", "--precision", "--profile", "--rate", "--seed", "--temperature", "--text-file", "--threads", "--top-k", "--voice", "-o", "--output"] },
        // Paths: PKG and files complete to files and folders; a folder option to folders only.
        { "edge run models/gru-att", ["models/gru-attention-ecg"] },
        { "edge run models/gru-attention-ecg --input models/gru-attention-ecg/golden/inp", ["models/gru-attention-ecg/golden/input.npy"] },
        { "edge forecast models/aaren-co2 --csv models/aaren-co2/co", ["models/aaren-co2/co2.csv"] },
        { "edge pdm --models models/aaren-co2/", ["models/aaren-co2/forecast", "models/aaren-co2/golden"] },
        { "edge inspect models/silero-vad/model.", ["models/silero-vad/model.json", "models/silero-vad/model.onnx"] },
        // A value of the user's own (a number, a text): nothing offered; once PKG is given, the options are.
        { "edge run models/gru-attention-ecg --threads ", [] },
        { "edge bench models/gru-attention-ecg --steps 10 ", ["--backend", "--batch", "--compare", "--ep", "--gla-release", "--json", "--lengths", "--plot", "--precision", "--profile", "--roofline", "--soak", "--steps", "--threads", "--vs-transformer", "--warmup", "--window"] },
    };

    [Theory]
    [MemberData(nameof(BashCases))]
    public void Bash_completes_commands_options_choices_and_paths(string typed, string[] expected)
    {
        Assert.Equal(expected.Order(StringComparer.Ordinal), Bash(typed));
    }

    [Fact]
    public void Bash_offers_every_command_and_each_command_exactly_the_options_its_parser_takes()
    {
        Assert.Equal(CommandTable.All.Select(c => c.Name).Concat(["help", "version"]).Order(StringComparer.Ordinal), Bash("edge "));
        foreach (var command in CommandTable.All)
        {
            var expected = command.Options.Select(o => o.Name).Order(StringComparer.Ordinal);
            Assert.Equal(expected, Bash($"edge {command.Name} --"));
            foreach (var option in command.Options.Where(o => o.Kind == Arguments.ValueKind.Choice))
                Assert.Equal(option.Choices.Order(StringComparer.Ordinal), Bash($"edge {command.Name} {option.Name} "));
            // What the completion offers, the parser accepts: no "unknown option" for any of them.
            foreach (var option in command.Options)
            {
                string[] args = option.TakesValue ? [option.Name, option.Choices.Count > 0 ? option.Choices[0] : "x"] : [option.Name];
                try
                {
                    Arguments.ParsedArguments.Parse(command.Name, args);
                }
                catch (Arguments.UsageException e)
                {
                    Assert.DoesNotContain("unknown option", e.Message);   // a required one missing, or 'x' no file: not this option's fault
                }
            }
        }
    }

    [Fact]
    public void Zsh_fish_and_powershell_scripts_name_every_command_option_and_choice()
    {
        foreach (string shell in new[] { "zsh", "fish", "pwsh" })
        {
            string text = File.ReadAllText(Script(shell));
            foreach (var command in CommandTable.All)
            {
                Assert.Contains(command.Name, text);
                foreach (var option in command.Options)
                {
                    // fish writes --name as "-l name"; the others write it whole.
                    Assert.Contains(shell == "fish" ? $"-n '__fish_seen_subcommand_from {command.Name}' {(option.Alias is null ? "" : "-s o ")}-l {option.Name[2..]}" : option.Name, text);
                    foreach (string choice in option.Choices) Assert.Contains(choice, text);
                }
            }
        }
        // zsh: each command's options go to _arguments under the command's own case.
        string zsh = File.ReadAllText(Script("zsh"));
        string run = zsh[zsh.IndexOf("        (run)", StringComparison.Ordinal)..zsh.IndexOf("        (bench)", StringComparison.Ordinal)];
        Assert.Contains("'--backend=[", run);
        Assert.Contains(":(cpu onnx)'", run);
        Assert.Contains("'--input=[", run);
        Assert.Contains(":_files'", run);
    }

    [Fact]
    public void The_scripts_load_in_their_shells_where_installed()
    {
        RunShell("bash", ["-n", Script("bash")]);
        if (Installed("zsh")) RunShell("zsh", ["-n", Script("zsh")]);
        if (Installed("fish"))
        {
            string completions = RunShell("fish", ["-c", $"source {Script("fish")}; complete -C 'edge run x --back'; complete -C 'edge run x --backend '"]);
            Assert.Contains("--backend", completions);
            Assert.Contains("onnx", completions);
        }
        if (Installed("pwsh"))
        {
            string completions = RunShell("pwsh", ["-NoProfile", "-Command", $". {Script("pwsh")}; (TabExpansion2 'edge run x --backend ' 22).CompletionMatches.CompletionText"]);
            Assert.Contains("onnx", completions);
        }
    }
}
