namespace Edge.Onnx.Import;

/// <summary>What <see cref="OnnxImporter"/> cannot read from the graph itself; every field may be left out when the graph makes it clear.</summary>
public sealed record OnnxImportOptions
{
    /// <summary>State pairs given outright (graph input, graph output); the rest are found by name and shape.</summary>
    public IReadOnlyList<(string Input, string Output)> State { get; init; } = [];

    /// <summary>Values of the graph's constant inputs (a sample rate, a flag), fed unchanged every step.</summary>
    public IReadOnlyDictionary<string, double> Constants { get; init; } = new Dictionary<string, double>();

    /// <summary>The frame's shape when the graph leaves more than its batch dimension symbolic (e.g. [1, 576]).</summary>
    public long[]? InputShape { get; init; }

    /// <summary>The graph input that takes the step's frame, when more than one float input is left after pairing.</summary>
    public string? Input { get; init; }

    /// <summary>The graph output returned as the step's output, when more than one output is left after pairing.</summary>
    public string? Output { get; init; }

    /// <summary>The package's name (model.json <c>name</c>); default: the graph file's name without its extension.</summary>
    public string? Name { get; init; }
}
