using System.Text.Json.Nodes;
using Edge.Formats.Safetensors;
using Edge.Packages;
using Edge.Quantization;
using Edge.Streams;

namespace Edge.Runtime.Tests.Precision;

/// <summary>edge quantize's writer: a smaller weights file that loads reduced, runs near fp32, and is validated before use.</summary>
public sealed class PackageQuantizerTests
{
    [Theory]
    [InlineData(WeightPrecision.Fp16, 0.6, 2e-3)]
    [InlineData(WeightPrecision.Int8, 0.45, 2e-2)]
    [InlineData(WeightPrecision.Q4, 0.35, 2e-1)]
    public void A_quantized_package_is_smaller_loads_reduced_and_stays_near_fp32(WeightPrecision precision, double sizeAtMost, double tolerance)
    {
        string source = RepoPaths.Models("gru-attention-ecg");
        using var tmp = new TempFolder();
        string output = Path.Combine(tmp.Path, "q");
        var report = PackageQuantizer.Write(source, output, precision);
        Assert.Equal(precision.Name(), report.Precision);
        long before = new FileInfo(Path.Combine(source, "weights.safetensors")).Length;
        long after = new FileInfo(Path.Combine(output, "weights.safetensors")).Length;
        Assert.True(after <= sizeAtMost * before, $"{precision.Name()} weights file {after} bytes, fp32 {before}");
        Assert.False(File.Exists(Path.Combine(output, "step.onnx")));
        Assert.False(Directory.Exists(Path.Combine(output, "golden")));

        using var original = EdgeModel.Load(source, new EdgeModelOptions { Precision = WeightPrecision.Fp32 });
        using var quantized = EdgeModel.Load(output);
        Assert.Equal(precision, quantized.Precision);
        Assert.NotEqual(original.Sha256, quantized.Sha256);
        var (want, _) = WeightPrecisionTests.Replay(original, source, "golden", null);
        var (got, allocated) = WeightPrecisionTests.Replay(quantized, source, "golden", null);
        double worst = want.Zip(got, (a, b) => (double)Math.Abs(a - b)).Max();
        Assert.True(worst <= tolerance && worst > 0, $"max abs error {worst:E2} against fp32");
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Quantizing_into_an_existing_folder_or_an_int8_package_again_is_refused()
    {
        using var tmp = new TempFolder();
        string output = Path.Combine(tmp.Path, "q");
        PackageQuantizer.Write(RepoPaths.Models("gru-attention-ecg"), output, WeightPrecision.Int8);
        var e = Assert.Throws<EdgeException>(() => PackageQuantizer.Write(RepoPaths.Models("gru-attention-ecg"), output, WeightPrecision.Int8));
        Assert.Contains("already exists", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<EdgeException>(() => PackageQuantizer.Write(output, Path.Combine(tmp.Path, "again"), WeightPrecision.Q4));
        Assert.Contains("already int8", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("drop", EdgeErrorCode.MissingTensor, "scale")]
    [InlineData("short", EdgeErrorCode.ShapeMismatch, "scales are F32")]
    [InlineData("nan", EdgeErrorCode.InvalidSafetensors, "finite")]
    public void A_broken_scale_tensor_is_refused_before_use_naming_the_tensor(string breakage, EdgeErrorCode code, string says)
    {
        using var tmp = new TempFolder();
        string output = Path.Combine(tmp.Path, "q");
        PackageQuantizer.Write(RepoPaths.Models("gru-attention-ecg"), output, WeightPrecision.Int8);
        string weights = Path.Combine(output, "weights.safetensors");
        var entries = new List<SafetensorsWriter.RawEntry>();
        using (var f = SafetensorsFile.Open(weights))
        {
            foreach (var t in f.Tensors)
            {
                var bytes = new byte[t.End - t.Begin];
                f.ReadRaw(t, bytes);
                if (t.Name != "gru.weight_hh_l0.scale")
                {
                    entries.Add(new(t.Name, t.Shape, t.DType, bytes));
                    continue;
                }
                if (breakage == "short") entries.Add(new(t.Name, [t.Shape[0] - 1], t.DType, bytes.AsMemory(0, bytes.Length - 4)));
                if (breakage == "nan")
                {
                    BitConverter.GetBytes(float.NaN).CopyTo(bytes, 0);
                    entries.Add(new(t.Name, t.Shape, t.DType, bytes));
                }
            }
        }
        SafetensorsWriter.Write(weights, SafetensorsWriter.ToRawBytes(entries, null));
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "model.json")))!.AsObject();
        json["sha256"]!.AsObject().Remove("weights.safetensors");
        File.WriteAllText(Path.Combine(output, "model.json"), json.ToJsonString());
        var e = Assert.Throws<EdgeException>(() => EdgeModel.Load(output));
        Assert.Equal(code, e.Code);
        Assert.Contains("gru.weight_hh_l0", e.Message, StringComparison.Ordinal);
        Assert.Contains(says, e.Message, StringComparison.Ordinal);
    }
}
