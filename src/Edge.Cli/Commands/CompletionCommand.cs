using Edge.Cli.Arguments;
using Edge.Cli.Completion;

namespace Edge.Cli.Commands;

/// <summary>
/// <c>edge completion bash|zsh|fish|pwsh</c>: prints the shell's completion script, generated from <see cref="CommandTable"/>
/// (the table the parser and the help read), so that a completion never offers an option the parser refuses.
/// </summary>
internal static class CompletionCommand
{
    public static int Run(string[] args, TextWriter stdout)
    {
        var a = ParsedArguments.Parse("completion", args);
        stdout.Write(a.Positionals[0] switch
        {
            "bash" => BashCompletion.Script(CommandTable.All),
            "zsh" => ZshCompletion.Script(CommandTable.All),
            "fish" => FishCompletion.Script(CommandTable.All),
            _ => PowerShellCompletion.Script(CommandTable.All),
        });
        return 0;
    }
}
