namespace Edge.Onnx.Import;

/// <summary>How a graph's inputs and outputs map onto an onnx-stateful stream: what <see cref="OnnxImporter"/> writes into model.json.</summary>
/// <param name="Input">The graph input that takes the frame.</param>
/// <param name="Output">The graph output that is the step's output.</param>
/// <param name="State">The state pairs (input, output), in the graph's input order.</param>
/// <param name="Constants">The constant inputs: name, dtype and value.</param>
/// <param name="InputShape">The frame's shape when it had to be given; null when the graph's own (batch as 1) is used.</param>
/// <param name="HowPaired">For each state pair, how it was found: "given", "by name" or "by shape".</param>
public sealed record ImportPlan(
    string Input,
    string Output,
    IReadOnlyList<(string Input, string Output)> State,
    IReadOnlyList<(string Name, string DType, double Value)> Constants,
    long[]? InputShape,
    IReadOnlyList<string> HowPaired);
