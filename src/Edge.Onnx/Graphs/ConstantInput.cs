using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Edge.Onnx.Graphs;

/// <summary>A scalar input fed unchanged every step (onnx-stateful's constants, e.g. a sample rate).</summary>
/// <param name="Name">The graph input.</param>
/// <param name="Type">Its element type, as the graph declares it.</param>
/// <param name="Shape">Its shape: [] for a scalar, or all ones.</param>
/// <param name="Value">The value, converted to <paramref name="Type"/> when bound.</param>
internal sealed record ConstantInput(string Name, TensorElementType Type, long[] Shape, double Value)
{
    /// <summary>The element types a constant may have.</summary>
    public static readonly IReadOnlyDictionary<string, TensorElementType> DTypes = new Dictionary<string, TensorElementType>
    {
        ["int64"] = TensorElementType.Int64,
        ["int32"] = TensorElementType.Int32,
        ["float32"] = TensorElementType.Float,
        ["float64"] = TensorElementType.Double,
        ["bool"] = TensorElementType.Bool,
    };

    /// <summary>An OrtValue over a pinned one-element array; the caller disposes it.</summary>
    public OrtValue CreateValue() => Type switch
    {
        TensorElementType.Int64 => OrtValue.CreateTensorValueFromMemory(new[] { (long)Value }, Shape),
        TensorElementType.Int32 => OrtValue.CreateTensorValueFromMemory(new[] { (int)Value }, Shape),
        TensorElementType.Float => OrtValue.CreateTensorValueFromMemory(new[] { (float)Value }, Shape),
        TensorElementType.Double => OrtValue.CreateTensorValueFromMemory(new[] { Value }, Shape),
        TensorElementType.Bool => OrtValue.CreateTensorValueFromMemory(new[] { Value != 0 }, Shape),
        _ => throw new InvalidOperationException($"constant '{Name}' has unsupported type {Type}."),
    };
}
