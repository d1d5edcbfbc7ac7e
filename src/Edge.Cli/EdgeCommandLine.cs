using Edge.Cli.Arguments;
using Edge.Cli.Commands;

namespace Edge.Cli;

/// <summary>
/// Dispatches <c>edge SUBCOMMAND …</c>. A user mistake prints one line saying what was wrong and what to
/// do, and exits 2; an internal fault prints one line and exits 70. Never a stack trace for user input; the
/// line is escaped and cut (<see cref="MessageText.Line"/>), whatever bytes the input put in the message.
/// </summary>
public static class EdgeCommandLine
{
    /// <summary>Exit code for a user error (bad arguments, bad files).</summary>
    public const int UserError = 2;

    /// <summary>Exit code for an internal fault.</summary>
    public const int InternalError = 70;

    /// <summary>Runs one command line, writing to the given writers.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            if (args.Length == 0)
            {
                // No command is a usage error: the help goes where errors go, so a script's stdout stays clean.
                stderr.Write(Usage.Text);
                return UserError;
            }
            if (args[0] is "help" or "--help" or "-h")
            {
                if (args.Length == 1)
                {
                    stdout.Write(Usage.Text);
                    return 0;
                }
                return Help(args[1], stdout);
            }
            var rest = args[1..];
            if (rest.Contains("--help") || rest.Contains("-h")) return Help(args[0], stdout);
            return args[0] switch
            {
                "info" => InfoCommand.Run(rest, stdout),
                "run" => RunCommand.Run(rest, stdout, stderr),
                "bench" => BenchCommand.Run(rest, stdout, stderr),
                "forecast" => ForecastCommand.Run(rest, stdout, stderr),
                "pdm" => PdmCommand.Run(rest, stdout),
                "monitor" => MonitorCommand.Run(rest, stdout),
                "demo" => DemoCommand.Run(rest, stdout),
                "quantize" => QuantizeCommand.Run(rest, stdout),
                "import" => ImportCommand.Run(rest, stdout),
                "inspect" => InspectCommand.Run(rest, stdout),
                "tts" => TtsCommand.Run(rest, Console.IsInputRedirected ? Console.In : null, stdout, stderr),
                "clone" => CloneCommand.Run(rest, stdout),
                "profile" => ProfileCommand.Run(rest, stdout, stderr),
                "completion" => CompletionCommand.Run(rest, stdout),
                "--version" or "version" => Version(stdout),
                _ => throw new UsageException(UnknownCommand(args[0])),
            };
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"edge: {MessageText.Line(UsageLine(e, args))}");
            return UserError;
        }
        catch (EdgeException e)
        {
            stderr.WriteLine($"edge: error [{e.Code}]: {MessageText.Line(e.Message + FlagHint(e.Code))}");
            return UserError;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"edge: internal error ({e.GetType().Name}): {MessageText.Line(e.Message)}. Please report this with the command you ran.");
            return InternalError;
        }
    }

    // `edge COMMAND --help` (or `edge help COMMAND`): that command's part of the usage, whatever else is on the line.
    private static int Help(string command, TextWriter stdout)
    {
        string? text = Usage.For(command);
        if (text is null) throw new UsageException(UnknownCommand(command));
        stdout.Write(text);
        return 0;
    }

    // One form for every usage mistake: "COMMAND: what was wrong." and, for a mistake in how the line is written, the
    // command's options (not the whole usage).
    private static string UsageLine(UsageException e, string[] args)
    {
        var spec = args.Length > 0 ? CommandTable.Find(args[0]) : null;
        if (spec is null) return e.Message;
        string line = e.Message.StartsWith(spec.Name + ":", StringComparison.Ordinal) ? e.Message : $"{spec.Name}: {e.Message}";
        return e.ListOptions ? $"{line} {spec.OptionsHint}" : line;
    }

    private static string UnknownCommand(string command) =>
        $"unknown command '{MessageText.Value(command)}'. Commands: {CommandTable.Names}. Run 'edge help' for details.";

    private static int Version(TextWriter stdout)
    {
        stdout.WriteLine(typeof(EdgeCommandLine).Assembly.GetName().Version);
        return 0;
    }

    // The library names its API options; here each code that a flag resolves gets the flag.
    private static string FlagHint(EdgeErrorCode code) => code switch
    {
        EdgeErrorCode.UnsupportedFamily => " (choose the backend with --backend cpu or --backend onnx)",
        EdgeErrorCode.TextRequired => " (give the text with --text \"...\")",
        EdgeErrorCode.BackendUnavailable => " (--ep cpu, or --backend cpu, runs on this machine's CPU)",
        _ => "",
    };
}
