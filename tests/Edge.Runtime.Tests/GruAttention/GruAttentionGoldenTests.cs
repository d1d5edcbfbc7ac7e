using Edge.Families.GruAttention;
using Edge.Formats.Safetensors;

namespace Edge.Runtime.Tests.GruAttention;

/// <summary>The committed golden runs of the PyTorch reference (tests/fixtures/gru-attention, models/gru-*).</summary>
public class GruAttentionGoldenTests
{
    public static IEnumerable<object[]> Packages() =>
    [
        ["tests/fixtures/gru-attention/lbr-false-w0"],
        ["tests/fixtures/gru-attention/lbr-true-w3"],
        ["tests/fixtures/gru-attention/lbr-false-w5-l3"],
        ["tests/fixtures/gru-attention/onnx-layout"],
        ["models/gru-attention-ecg"],
        ["models/gru-bench"],
    ];

    [Theory]
    [MemberData(nameof(Packages))]
    [Trait("Category", "Golden")]
    public void Golden_outputs_and_final_state_are_reproduced_to_1e5_serially_and_in_chunks(string package)
    {
        string dir = Path.Combine(RepoPaths.Root, package);
        var serial = GoldenRun.Replay(dir);
        Assert.True(serial.Output <= 1e-5, $"outputs differ by {serial.Output:E2}");
        Assert.True(serial.State <= 1e-5, $"final state differs (relative) by {serial.State:E2}");
        int steps = Edge.Formats.Npy.NpyFile.Read(Path.Combine(dir, "golden", "input.npy")).Rows;
        var chunked = GoldenRun.Replay(dir, [0, 1, steps / 3, steps / 3 + 7, steps]);
        Assert.Equal(serial, chunked);
    }

    [Fact]
    public void Onnx_gate_order_fixture_permutes_to_the_pytorch_weights()
    {
        string dir = RepoPaths.Fixtures("gru-attention", "onnx-layout");
        using var onnx = SafetensorsFile.Open(Path.Combine(dir, "onnx_gru.safetensors"));
        using var torch = SafetensorsFile.Open(Path.Combine(dir, "weights.safetensors"));
        float[] Read(SafetensorsFile f, string n) { Assert.True(f.TryGet(n, out var t)); return f.ReadFloat32(t); }
        int h = 6, input = 3;
        var (wih, whh, bih, bhh) = GruGatePermutation.FromOnnx(Read(onnx, "W"), Read(onnx, "R"), Read(onnx, "B"), h, input);
        Assert.Equal(Read(torch, "gru.weight_ih_l0"), wih);
        Assert.Equal(Read(torch, "gru.weight_hh_l0"), whh);
        Assert.Equal(Read(torch, "gru.bias_ih_l0"), bih);
        Assert.Equal(Read(torch, "gru.bias_hh_l0"), bhh);
    }
}
