using System.Globalization;

namespace Edge.Cli.Arguments;

/// <summary>
/// A subcommand's arguments: positionals and <c>--name value</c> / <c>--name=value</c> / <c>--flag</c> options, as the
/// command's entry in <see cref="CommandTable"/> declares them. Anything else, a missing or empty value, a word outside
/// a choice, a missing required option or positional, is a usage error naming it (the line then lists the command's
/// options). Every path is checked as it is parsed, before the command does any work: a file or package to read exists,
/// a file or folder to write is not the other kind, and its folder exists.
/// </summary>
internal sealed class ParsedArguments
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly List<string> _positionals = [];
    private readonly string _command;

    private static readonly string[] EmptyAllowed = ["--text"];

    private ParsedArguments(string command) => _command = command;

    /// <summary>Parses <paramref name="args"/> of the command <paramref name="command"/> against its entry in <see cref="CommandTable"/>.</summary>
    public static ParsedArguments Parse(string command, string[] args) =>
        Parse(CommandTable.Find(command) ?? throw new InvalidOperationException($"'{command}' is not in the command table."), args);

    /// <summary>Parses <paramref name="args"/> against <paramref name="spec"/>.</summary>
    public static ParsedArguments Parse(CommandSpec spec, string[] args)
    {
        string command = spec.Name;
        var p = new ParsedArguments(command);
        var given = new List<(string Name, string Value)>();
        bool optionsEnded = false;
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (a == "--" && !optionsEnded)
            {
                optionsEnded = true;   // what follows is positional, even when it starts with '-' (a text, a file name)
                continue;
            }
            bool longForm = a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2;
            if (optionsEnded || !longForm && spec.Option(a) is null)
            {
                p._positionals.Add(a);
                continue;
            }
            string name = a, value = "";
            int eq = longForm ? a.IndexOf('=') : -1;
            bool inline = eq > 0;
            if (inline) (name, value) = (a[..eq], a[(eq + 1)..]);
            var option = spec.Option(name) ?? throw new UsageException($"{command}: unknown option '{name}'{Suggestion(spec, name)}.");
            name = option.Name;
            if (!option.TakesValue)
            {
                if (inline) throw new UsageException($"{command}: {name} takes no value.");
                p._options[name] = null;
                continue;
            }
            if (!inline)
            {
                if (i + 1 >= args.Length) throw new UsageException($"{command}: {name} needs a value{Expecting(option)}.");
                value = args[++i];
            }
            // An empty value (--input=, --output "") is a slip, never a file or a number; only text may be empty.
            if (value.Length == 0 && !EmptyAllowed.Contains(name))
                throw new UsageException($"{command}: {name} needs a value; it was given an empty one.");
            if (option.Kind == ValueKind.Choice && !option.Choices.Contains(value))
                throw new UsageException($"{command}: {name} must be one of {string.Join(", ", option.Choices)}, got '{MessageText.Value(value)}'.");
            p._options[name] = value;
            given.Add((name, value));
        }

        // The options' paths in the order given, then the positionals'.
        foreach (var (name, value) in given)
        {
            if (p._options[name] == value) CheckPath(command, $"{name} '{MessageText.Value(value, 200)}'", spec.Option(name)!.Kind, value);
        }
        for (int i = 0; i < spec.Positionals.Count && i < p._positionals.Count; i++)
        {
            var positional = spec.Positionals[i];
            string value = p._positionals[i];
            if (positional.Kind == ValueKind.Choice && !positional.Choices.Contains(value))
                throw new UsageException($"{command}: {positional.Name} must be one of {string.Join(", ", positional.Choices)}, got '{MessageText.Value(value)}'.");
            CheckPath(command, $"{positional.Name} '{MessageText.Value(value, 200)}'", positional.Kind, value);
        }
        p.ExpectPositionals(spec.Positionals.Count);
        for (int i = p._positionals.Count; i < spec.Positionals.Count; i++)
        {
            if (spec.Positionals[i].Required) throw new UsageException($"{command}: {spec.Positionals[i].Name} ({spec.Positionals[i].Help}) is required.");
        }
        foreach (var option in spec.Options)
        {
            if (option.Required && !p._options.ContainsKey(option.Name))
            {
                string written = option.Alias ?? option.Name;
                throw new UsageException($"{command}: {written} is required; give {written} {(option.Kind == ValueKind.Choice ? string.Join('|', option.Choices) : option.Value)}.");
            }
        }
        return p;
    }

    // "did you mean": the one option the word starts, else the one within two edits.
    private static string Suggestion(CommandSpec spec, string name)
    {
        var names = spec.Options.Select(o => o.Name).ToList();
        var started = names.Where(n => n.StartsWith(name, StringComparison.Ordinal)).ToList();
        if (started.Count == 1 && name.Length > 2) return $" (did you mean {started[0]}?)";
        var near = names.Where(n => Distance(n, name) <= 2).ToList();
        return near.Count == 1 ? $" (did you mean {near[0]}?)" : "";
    }

    private static int Distance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 2 || b.Length > 64) return 3;
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }

    private static string Expecting(OptionSpec option) => option.Kind == ValueKind.Choice ? $": {string.Join(", ", option.Choices)}" : "";

    // A path is checked where it is parsed, so that no command starts work on a path that cannot do.
    private static void CheckPath(string command, string what, ValueKind kind, string path)
    {
        switch (kind)
        {
            case ValueKind.InputFile when Directory.Exists(path):
                throw new UsageException($"{command}: {what} is a folder; give a file.", listOptions: false);
            case ValueKind.InputFile when !File.Exists(path):
                throw new UsageException($"{command}: {what} does not exist.", listOptions: false);
            case ValueKind.InputFolder when File.Exists(path):
                throw new UsageException($"{command}: {what} is a file; give a folder.", listOptions: false);
            case ValueKind.InputFolder when !Directory.Exists(path):
                throw new UsageException($"{command}: {what} does not exist.", listOptions: false);
            case ValueKind.Package when !File.Exists(path) && !Directory.Exists(path):
                throw new UsageException($"{command}: {what}: no such model package; give a folder holding model.json, or a zip of one.", listOptions: false);
            case ValueKind.OutputFile when Directory.Exists(path):
                throw new UsageException($"{command}: {what} is a folder; name a file to write.", listOptions: false);
            case ValueKind.OutputFolder when File.Exists(path):
                throw new UsageException($"{command}: {what} is a file; name a new folder to write.", listOptions: false);
            case ValueKind.OutputFolder when Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any():
                throw new UsageException($"{command}: {what} already exists and is not empty; name a new folder to write.", listOptions: false);
        }
        if (kind is ValueKind.OutputFile or ValueKind.OutputFolder)
        {
            string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folder is not null && !Directory.Exists(folder))
                throw new UsageException($"{command}: {what} is in folder '{MessageText.Value(folder, 200)}', which does not exist; create it first.", listOptions: false);
        }
        if (kind == ValueKind.OutputFile) CheckWritable(command, what, path);
    }

    // A file to write can be created (not a read-only folder, /proc, a name the file system refuses); one that exists is left as it was.
    private static void CheckWritable(string command, string what, string path)
    {
        bool existed = File.Exists(path);
        try
        {
            using (new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write)) { }
            if (!existed) File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{command}: {what} cannot be written ({e.Message}); choose a file in a folder you can write to.", listOptions: false);
        }
    }

    public IReadOnlyList<string> Positionals => _positionals;

    public bool Flag(string name) => _options.ContainsKey(name);

    public string? Value(string name) => _options.TryGetValue(name, out var v) ? v : null;

    public string Required(string name) => Value(name) ?? throw new UsageException($"{_command}: {name} is required.");

    /// <summary>The value of an option naming a file to write, or null when absent (checked when parsed: not a folder, in a folder that exists).</summary>
    public string? OutputPath(string name) => Value(name);

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
