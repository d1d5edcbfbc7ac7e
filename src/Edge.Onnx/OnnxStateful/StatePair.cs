namespace Edge.Onnx.OnnxStateful;

/// <summary>A state tensor of an onnx-stateful graph: the input that takes it and the output that returns its next value.</summary>
/// <param name="Input">Graph input name; also the state entry's name in state files.</param>
/// <param name="Output">Graph output name.</param>
internal sealed record StatePair(string Input, string Output);
