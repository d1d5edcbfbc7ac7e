namespace Edge.Cli.Arguments;

/// <summary>
/// One <c>edge</c> command: its name, a line saying what it does, its positionals and options, and examples that run as
/// written from the repository's root on files it ships (a test runs them).
/// </summary>
internal sealed record CommandSpec(string Name, string Summary, IReadOnlyList<PositionalSpec> Positionals, IReadOnlyList<OptionSpec> Options, IReadOnlyList<string> Examples)
{
    /// <summary>The option of that name or short spelling, or null.</summary>
    public OptionSpec? Option(string name) => Options.FirstOrDefault(o => o.Name == name || o.Alias == name);

    /// <summary>
    /// The end of a usage-mistake line: this command's options (choices spelled out), and where their values, defaults and
    /// an example are.
    /// </summary>
    public string OptionsHint => Options.Count == 0
        ? $"'edge {Name}' takes no options; 'edge {Name} --help' shows an example."
        : $"Options of 'edge {Name}': {string.Join(", ", Options.Select(o => o.Kind == ValueKind.Choice ? $"{o.Name} {string.Join('|', o.Choices)}" : o.Name))}; 'edge {Name} --help' shows their defaults and an example.";
}
