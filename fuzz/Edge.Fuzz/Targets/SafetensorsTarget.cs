using Edge.Formats.Safetensors;

namespace Edge.Fuzz.Targets;

/// <summary>A safetensors file (weights, states and voices share it): the header, then every float tensor read.</summary>
public sealed class SafetensorsTarget : FuzzTarget
{
    /// <inheritdoc />
    public override string Name => "safetensors";

    /// <inheritdoc />
    public override string Parses => "SafetensorsFile.Open, then ReadFloat32 of every f32/f16/bf16 tensor";

    /// <inheritdoc />
    public override IEnumerable<FuzzSeed> Seeds(FuzzFixtures fixtures)
    {
        yield return new("two-tensors", SafetensorsWriter.ToBytes(
            [new("a.weight", [2, 3], new float[] { 1, 2, 3, 4, 5, 6 }), new("b", [1], new float[] { -0.5f })],
            new Dictionary<string, string> { ["format"] = "pt" }));
        yield return new("f16", SafetensorsWriter.ToRawBytes(
            [new("h", [2], TensorDType.F16, new byte[] { 0x00, 0x3C, 0x00, 0xC0 })], null));
        yield return new("empty", SafetensorsWriter.ToBytes([], null));
    }

    /// <inheritdoc />
    public override void Run(byte[] input, FuzzFixtures fixtures)
    {
        using var file = SafetensorsFile.Open(new MemoryStream(input, writable: false), "fuzz.safetensors", input.Length);
        foreach (var t in file.Tensors)
        {
            if (t.DType is TensorDType.F32 or TensorDType.F16 or TensorDType.BF16) file.ReadFloat32(t);
        }
    }
}
