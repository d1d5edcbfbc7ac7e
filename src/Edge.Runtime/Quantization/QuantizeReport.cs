namespace Edge.Quantization;

/// <summary>What <see cref="PackageQuantizer.Write"/> wrote; <c>edge quantize --json</c> prints it with snake_case keys.</summary>
/// <param name="Source">The package read.</param>
/// <param name="Output">The package written.</param>
/// <param name="Precision">fp16, int8 or q4.</param>
/// <param name="TensorsReduced">Tensors stored reduced.</param>
/// <param name="WeightBytesBefore">Bytes of tensor data in the source's weights file.</param>
/// <param name="WeightsFileBytes">Bytes of the new weights file (header included).</param>
public sealed record QuantizeReport(string Source, string Output, string Precision, int TensorsReduced, long WeightBytesBefore, long WeightsFileBytes);
