using Edge.Streams;

namespace Edge.Onnx.Graphs;

/// <summary>One state entry and the graph input that takes it and the output that returns its next value.</summary>
/// <param name="Entry">The state layout entry (name, shape, offset in the flat state).</param>
/// <param name="InputName">The graph input.</param>
/// <param name="OutputName">The graph output holding the entry after the step.</param>
/// <param name="Shape">The tensor's shape in the graph (symbolic dimensions set to 1); its element count equals the entry's.</param>
internal sealed record StateBinding(StateEntry Entry, string InputName, string OutputName, long[] Shape);
