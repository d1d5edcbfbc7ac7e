using System.Globalization;

namespace Edge.Cli.Arguments;

/// <summary>
/// A subcommand's arguments: positionals and <c>--name value</c> / <c>--flag</c> options. Only the options
/// a command declares are accepted; anything else is a usage error naming it.
/// </summary>
internal sealed class ParsedArguments
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly List<string> _positionals = [];
    private readonly string _command;

    private static readonly string[] EmptyAllowed = ["--text"];

    private ParsedArguments(string command) => _command = command;

    /// <summary>Parses <paramref name="args"/>; <paramref name="valued"/> take a value, <paramref name="flags"/> do not.</summary>
    public static ParsedArguments Parse(string command, string[] args, string[] valued, string[] flags)
    {
        var p = new ParsedArguments(command);
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2)
            {
                string name = a, value = "";
                int eq = a.IndexOf('=');
                bool inline = eq > 0;
                if (inline) (name, value) = (a[..eq], a[(eq + 1)..]);
                if (flags.Contains(name))
                {
                    if (inline) throw new UsageException($"{command}: {name} takes no value.");
                    p._options[name] = null;
                }
                else if (valued.Contains(name))
                {
                    if (!inline)
                    {
                        if (i + 1 >= args.Length) throw new UsageException($"{command}: {name} needs a value.");
                        value = args[++i];
                    }
                    // An empty value (--input=, --output "") is a slip, never a file or a number; only text may be empty.
                    if (value.Length == 0 && !EmptyAllowed.Contains(name))
                        throw new UsageException($"{command}: {name} needs a value; it was given an empty one.");
                    p._options[name] = value;
                }
                else
                {
                    var known = valued.Concat(flags).ToArray();
                    throw new UsageException(known.Length == 0
                        ? $"{command}: unknown option '{name}'; '{command}' takes no options. Run 'edge {command} --help'."
                        : $"{command}: unknown option '{name}'. Options: {string.Join(", ", known)}. Run 'edge {command} --help'.");
                }
            }
            else
            {
                p._positionals.Add(a);
            }
        }
        return p;
    }

    public IReadOnlyList<string> Positionals => _positionals;

    public bool Flag(string name) => _options.ContainsKey(name);

    public string? Value(string name) => _options.TryGetValue(name, out var v) ? v : null;

    public string Required(string name) => Value(name) ?? throw new UsageException($"{_command}: {name} is required.");

    /// <summary>
    /// The value of an option naming a file to write, or null when absent; refused before any work when it
    /// names a folder or a file in a folder that does not exist.
    /// </summary>
    public string? OutputPath(string name)
    {
        string? path = Value(name);
        if (path is null) return null;
        if (Directory.Exists(path))
            throw new UsageException($"{_command}: {name} '{MessageText.Value(path, 200)}' is a folder; name a file to write.");
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null && !Directory.Exists(folder))
            throw new UsageException($"{_command}: {name} '{MessageText.Value(path, 200)}' is in folder '{MessageText.Value(folder, 200)}', which does not exist; create it first.");
        return path;
    }

    public string Positional(int index, string what)
        => index < _positionals.Count ? _positionals[index] : throw new UsageException($"{_command}: {what} is required.");

    public void ExpectPositionals(int count)
    {
        if (_positionals.Count > count)
            throw new UsageException($"{_command}: unexpected argument '{_positionals[count]}'.");
    }

    public long Long(string name, long fallback, long min, long max)
    {
        string? v = Value(name);
        if (v is null) return fallback;
        if (!long.TryParse(v.Replace("_", ""), NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) || n < min || n > max)
            throw new UsageException($"{_command}: {name} must be an integer between {min} and {max}, got '{v}'.");
        return n;
    }

    public string Choice(string name, string fallback, params string[] allowed)
    {
        string v = Value(name) ?? fallback;
        if (!allowed.Contains(v)) throw new UsageException($"{_command}: {name} must be one of {string.Join(", ", allowed)}, got '{v}'.");
        return v;
    }
}
