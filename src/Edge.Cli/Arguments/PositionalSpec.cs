namespace Edge.Cli.Arguments;

/// <summary>A command's positional argument (<c>PKG</c>, <c>REF.wav</c>): its name in the help, what it is, whether it must be given.</summary>
internal sealed record PositionalSpec(string Name, ValueKind Kind, string Help, bool Required = true)
{
    /// <summary>The words a choice accepts.</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];
}
