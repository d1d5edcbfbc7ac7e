using System.Text.RegularExpressions;
using Edge.Cli.Tests.Docs;

namespace Edge.Cli.Tests;

/// <summary>
/// The command table is the one list of options: the usage text's synopsis names none outside it, and every option in it
/// is in that command's usage entry and in its section of docs/cli.md.
/// </summary>
public partial class CommandTableTests
{
    private static readonly string Doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "cli.md"));

    [Fact]
    public void The_usage_text_and_docs_name_exactly_the_options_of_the_table()
    {
        foreach (var command in CommandTable.All)
        {
            string help = Usage.For(command.Name)!;
            int end = help.IndexOf("\nArguments:", StringComparison.Ordinal);
            string entry = help[..(end > 0 ? end : help.IndexOf("\nOptions", StringComparison.Ordinal))];
            // The synopsis: the lines "edge COMMAND …" and their continuations "    [--option …]".
            var synopsis = string.Join(' ', entry.Split('\n').Where(l => l.StartsWith("edge ", StringComparison.Ordinal) || SynopsisContinuation().IsMatch(l)));
            var named = OptionWord().Matches(synopsis).Select(m => m.Value).ToHashSet();
            var table = command.Options.Select(o => o.Name).ToHashSet();
            Assert.True(named.IsSubsetOf(table), $"edge {command.Name}'s usage names {string.Join(", ", named.Except(table))}, which its parser refuses");
            string section = MarkdownText.Section(Doc, $"edge {command.Name}");
            foreach (var option in command.Options)
            {
                Assert.True(entry.Contains(option.Name, StringComparison.Ordinal) || option.Alias is { } alias && entry.Contains(alias + " ", StringComparison.Ordinal),
                    $"edge {command.Name}'s usage entry leaves out {option.Name}");
                Assert.True(section.Contains(option.Name, StringComparison.Ordinal) || option.Alias is { } alias2 && section.Contains(alias2 + " ", StringComparison.Ordinal),
                    $"docs/cli.md, section 'edge {command.Name}', leaves out {option.Name}");
            }
        }
    }

    [GeneratedRegex(@"^\s+\[")]
    private static partial Regex SynopsisContinuation();

    [GeneratedRegex(@"--[a-z][a-z-]*")]
    private static partial Regex OptionWord();
}
