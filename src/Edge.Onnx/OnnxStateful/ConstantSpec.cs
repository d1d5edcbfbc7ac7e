namespace Edge.Onnx.OnnxStateful;

/// <summary>A constant input as model.json declares it.</summary>
/// <param name="Name">Graph input name.</param>
/// <param name="DType">int64, int32, float32, float64 or bool.</param>
/// <param name="Value">The value (bool as 0 or 1).</param>
internal sealed record ConstantSpec(string Name, string DType, double Value);
