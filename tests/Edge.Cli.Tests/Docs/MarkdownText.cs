using System.Text;
using System.Text.RegularExpressions;

namespace Edge.Cli.Tests.Docs;

/// <summary>Just enough Markdown reading for the documentation tests: sections, links, heading anchors, shell examples.</summary>
public static partial class MarkdownText
{
    /// <summary>The text under the first heading equal to <paramref name="heading"/> (any level), up to the next heading of that level or above.</summary>
    public static string Section(string markdown, string heading)
    {
        var lines = markdown.Split('\n');
        int start = Array.FindIndex(lines, l => l.TrimStart('#').Trim() == heading && l.StartsWith('#'));
        if (start < 0) throw new InvalidOperationException($"no heading '{heading}'");
        int level = lines[start].TakeWhile(c => c == '#').Count();
        var body = new StringBuilder();
        bool fenced = false;
        for (int i = start + 1; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("```", StringComparison.Ordinal)) fenced = !fenced;
            if (!fenced && lines[i].StartsWith('#') && lines[i].TakeWhile(c => c == '#').Count() <= level) break;
            body.Append(lines[i]).Append('\n');
        }
        return body.ToString();
    }

    /// <summary>The backticked snake_case names after "`--json` keys:" in a section, up to the end of that paragraph.</summary>
    public static HashSet<string> JsonKeys(string section)
    {
        int at = section.IndexOf("`--json` keys:", StringComparison.Ordinal);
        if (at < 0) throw new InvalidOperationException("the section lists no `--json` keys");
        string rest = section[at..];
        int end = rest.IndexOf("\n\n", StringComparison.Ordinal);
        if (end >= 0) rest = rest[..end];
        return [.. KeyRegex().Matches(rest).Select(m => m.Groups[1].Value)];
    }

    /// <summary>Targets of inline links <c>[text](target)</c> outside code blocks.</summary>
    public static IEnumerable<string> LinkTargets(string markdown)
    {
        bool fenced = false;
        foreach (string line in markdown.Split('\n'))
        {
            if (line.StartsWith("```", StringComparison.Ordinal)) fenced = !fenced;
            if (fenced) continue;
            foreach (Match m in LinkRegex().Matches(line)) yield return m.Groups[1].Value;
        }
    }

    /// <summary>The anchors headings get on a Markdown page (lowercase; punctuation dropped; spaces to hyphens).</summary>
    public static HashSet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        bool fenced = false;
        foreach (string line in markdown.Split('\n'))
        {
            if (line.StartsWith("```", StringComparison.Ordinal)) fenced = !fenced;
            if (fenced || !line.StartsWith('#')) continue;
            string text = line.TrimStart('#').Trim().ToLowerInvariant();
            anchors.Add(AnchorDrop().Replace(text, "").Replace(' ', '-'));
        }
        return anchors;
    }

    /// <summary>The <c>edge …</c> command lines of the ```sh blocks, continuation lines joined.</summary>
    public static IEnumerable<string> ShellExamples(string markdown)
    {
        bool inSh = false;
        var current = new StringBuilder();
        foreach (string raw in markdown.Split('\n'))
        {
            string line = raw.TrimEnd();
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inSh = !inSh && line == "```sh";
                continue;
            }
            if (!inSh) continue;
            bool more = line.EndsWith('\\');
            current.Append(more ? line[..^1] : line).Append(' ');
            if (more) continue;
            string command = current.ToString().Trim();
            current.Clear();
            if (command.StartsWith("edge ", StringComparison.Ordinal)) yield return command;
        }
    }

    /// <summary>
    /// Splits a shell command line as sh would for the forms the examples use: words, "double quotes" and
    /// <c>$(cat FILE)</c> inside them (FILE read relative to <paramref name="root"/>, trailing newlines dropped).
    /// </summary>
    public static List<string> ShellWords(string command, string root)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool quoted = false, any = false;
        for (int i = 0; i < command.Length; i++)
        {
            char c = command[i];
            if (c == '"') { quoted = !quoted; any = true; continue; }
            if (c == '$')
            {
                var m = CatRegex().Match(command, i);
                if (!m.Success || m.Index != i) throw new InvalidOperationException($"unsupported shell form at '{command[i..]}'");
                word.Append(File.ReadAllText(Path.Combine(root, m.Groups[1].Value)).TrimEnd('\n'));
                i += m.Length - 1;
                any = true;
                continue;
            }
            if (c == ' ' && !quoted)
            {
                if (any) words.Add(word.ToString());
                word.Clear();
                any = false;
                continue;
            }
            if (c is '\'' or '|' or '>' or '<' or ';' or '&') throw new InvalidOperationException($"unsupported shell character '{c}' in '{command}'");
            word.Append(c);
            any = true;
        }
        if (quoted) throw new InvalidOperationException($"unclosed quote in '{command}'");
        if (any) words.Add(word.ToString());
        return words;
    }

    [GeneratedRegex(@"`([a-z][a-z0-9_]*)`")]
    private static partial Regex KeyRegex();

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex LinkRegex();

    [GeneratedRegex(@"[^\p{L}\p{N}_\- ]")]
    private static partial Regex AnchorDrop();

    [GeneratedRegex(@"\$\(cat ([^)\s]+)\)")]
    private static partial Regex CatRegex();
}
