namespace Edge.Onnx.Import;

/// <summary>What <see cref="OnnxImporter.Import"/> wrote and what its trial step saw.</summary>
/// <param name="Package">The package folder written.</param>
/// <param name="Plan">How the graph's inputs and outputs were mapped.</param>
/// <param name="InputSize">Floats per step input (the frame).</param>
/// <param name="OutputSize">Floats per step output.</param>
/// <param name="StateBytes">Bytes of the stream's state.</param>
/// <param name="Sha256">The package's identity (state files are bound to it).</param>
public sealed record OnnxImportResult(string Package, ImportPlan Plan, int InputSize, int OutputSize, int StateBytes, string Sha256);
