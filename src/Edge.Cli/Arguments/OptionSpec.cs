namespace Edge.Cli.Arguments;

/// <summary>
/// One option of a command, as the parser, the help and the shell completions all read it: its name, what its value is,
/// the words it accepts (for a choice), its default and one line saying what it does.
/// </summary>
internal sealed record OptionSpec(string Name, ValueKind Kind, string Help)
{
    /// <summary>The placeholder of its value in the help (<c>N</c>, <c>F</c>, <c>OUT.npy</c>); for a choice, the words joined by '|'.</summary>
    public string Value { get; init; } = "";

    /// <summary>The words a choice accepts.</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>What happens without it, in words ("cpu", "100,000 steps"); empty for none.</summary>
    public string Default { get; init; } = "";

    /// <summary>A command must be given it.</summary>
    public bool Required { get; init; }

    /// <summary>A short spelling (<c>-o</c>), or null.</summary>
    public string? Alias { get; init; }

    /// <summary>It takes a value (it is not a flag).</summary>
    public bool TakesValue => Kind != ValueKind.Flag;

    /// <summary>How the help writes it: <c>--backend cpu|onnx</c>, <c>-o, --output OUT.wav</c>, <c>--json</c>.</summary>
    public string Synopsis
    {
        get
        {
            string value = Kind == ValueKind.Choice ? string.Join('|', Choices) : Value;
            string name = Alias is null ? Name : $"{Alias}, {Name}";
            return value.Length == 0 ? name : $"{name} {value}";
        }
    }
}
