using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Formats;
using Edge.Formats.Safetensors;
using Edge.Kernels;
using Edge.Packages;
using Edge.Streams;

namespace Edge.Quantization;

/// <summary>
/// Writes a copy of a package whose weights file holds its matrices reduced (fp16, int8 or q4), so a user ships
/// the smaller file; loaded, the model keeps them reduced in memory unless <see cref="EdgeModelOptions.Precision"/>
/// says otherwise. The tensor layouts are those <see cref="ModelWeights"/> reads (docs/package-format.md).
/// </summary>
public static class PackageQuantizer
{
    /// <summary>Matrices narrower than this many columns, or with fewer rows, stay as they are (biases, short convolutions).</summary>
    public const int MinColumns = 32, MinRows = 16;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>
    /// Quantizes the package folder <paramref name="source"/> into the new folder <paramref name="output"/>. Every
    /// float tensor of rank 2 or more with at least <see cref="MinRows"/> rows and <see cref="MinColumns"/>
    /// columns (the last axis) becomes int8 or q4; fp16 converts every float tensor. model.json gets the new
    /// precision and checksums; step.onnx is left out (its graph keeps fp32 weights), and so are golden folders.
    /// </summary>
    public static QuantizeReport Write(string source, string output, WeightPrecision precision)
    {
        Fail.If(!Directory.Exists(source), File.Exists(source) ? EdgeErrorCode.InvalidArgument : EdgeErrorCode.FileNotFound,
            $"{source}: quantizing needs a package folder; unzip a zipped package first.");
        Fail.If(precision == WeightPrecision.Fp32, EdgeErrorCode.InvalidArgument, $"{source}: fp32 is not a reduced precision; choose fp16, int8 or q4.");
        Fail.If(Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any() || File.Exists(output), EdgeErrorCode.InvalidArgument,
            $"{output}: already exists; name a new folder for the quantized package.");
        using (EdgeModel.Load(source)) { }   // a package that does not load is reported as it is, before anything is written
        var package = ModelPackage.Open(source);
        Fail.If(package.Precision is "int8" or "q4", EdgeErrorCode.InvalidArgument,
            $"{source}: is already {package.Precision}; quantize the original fp32 or fp16 package.");

        byte[] weights;
        int reduced = 0;
        long before;
        using (var file = SafetensorsFile.Open(package.OpenFile(package.WeightsFile), $"{source}/{package.WeightsFile}"))
        {
            before = file.Tensors.Sum(t => t.End - t.Begin);
            var entries = new List<SafetensorsWriter.RawEntry>();
            foreach (var t in file.Tensors)
            {
                if (!IsFloat(t.DType))
                {
                    entries.Add(Raw(file, t));
                    continue;
                }
                long rows = t.Shape.Length < 2 ? 1 : t.ElementCount / Math.Max(1, t.Shape[^1]);
                bool matrix = t.Shape.Length >= 2 && t.Shape[^1] >= MinColumns && rows >= MinRows;
                if (precision == WeightPrecision.Fp16) entries.Add(Half(file, t, source));
                else if (!matrix) entries.Add(Raw(file, t));
                else entries.AddRange(precision == WeightPrecision.Int8 ? Int8(file, t, (int)rows) : Q4(file, t, (int)rows));
                if (precision == WeightPrecision.Fp16 || matrix) reduced++;
            }
            weights = SafetensorsWriter.ToRawBytes(entries, file.Metadata.Count > 0 ? new Dictionary<string, string>(file.Metadata) : null);
        }

        var json = JsonNode.Parse(package.ReadAllBytes("model.json"))!.AsObject();
        json["precision"] = precision.Name();
        var sums = json["sha256"] as JsonObject ?? [];
        json["sha256"] = sums;
        if (package.OnnxFile is { } onnx)
        {
            json.Remove("onnx");
            sums.Remove(onnx);
        }
        sums[package.WeightsFile] = Convert.ToHexStringLower(SHA256.HashData(weights));

        Directory.CreateDirectory(output);
        string root = Path.GetFullPath(source);
        foreach (string f in Directory.GetFiles(root, "*", SearchOption.AllDirectories))
        {
            string rel = Path.GetRelativePath(root, f).Replace('\\', '/');
            if (rel == "model.json" || rel == package.WeightsFile || rel == package.OnnxFile) continue;
            if (rel.Split('/')[0].StartsWith("golden", StringComparison.Ordinal)) continue;   // fp32 outputs: they would not match
            string to = Path.Combine(output, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(f, to);
        }
        AtomicFile.Write(Path.Combine(output, package.WeightsFile), weights);
        AtomicFile.Write(Path.Combine(output, "model.json"), JsonSerializer.SerializeToUtf8Bytes(json, Indented));
        return new QuantizeReport(source, output, precision.Name(), reduced, before, weights.LongLength);
    }

    private static bool IsFloat(TensorDType d) => d is TensorDType.F32 or TensorDType.F16 or TensorDType.BF16 or TensorDType.F64;

    private static SafetensorsWriter.RawEntry Raw(SafetensorsFile file, TensorInfo t)
    {
        var bytes = new byte[t.End - t.Begin];
        file.ReadRaw(t, bytes);
        return new(t.Name, t.Shape, t.DType, bytes);
    }

    private static SafetensorsWriter.RawEntry Half(SafetensorsFile file, TensorInfo t, string source)
    {
        var values = file.ReadFloat32(t);
        var half = new Half[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            Fail.If(!(Math.Abs(values[i]) <= 65504f), EdgeErrorCode.InvalidArgument,
                $"{source}: tensor '{MessageText.Value(t.Name)}' holds {values[i]}, beyond fp16's ±65504; quantize to int8 or q4 instead.");
            half[i] = (Half)values[i];
        }
        return new(t.Name, t.Shape, TensorDType.F16, MemoryMarshal.AsBytes(half.AsSpan()).ToArray());
    }

    private static SafetensorsWriter.RawEntry[] Int8(SafetensorsFile file, TensorInfo t, int rows)
    {
        var w = file.ReadFloat32(t);
        int cols = t.Shape[^1];
        var q = new byte[w.Length];
        var scales = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            var row = w.AsSpan(r * cols, cols);
            float s = scales[r] = WeightQuantizer.Int8Scale(row);
            for (int c = 0; c < cols; c++) q[r * cols + c] = (byte)WeightQuantizer.Int8(row[c], s);
        }
        return [new(t.Name, t.Shape, TensorDType.I8, q), new(t.Name + ".scale", t.Shape[..^1], TensorDType.F32, MemoryMarshal.AsBytes(scales.AsSpan()).ToArray())];
    }

    private static SafetensorsWriter.RawEntry[] Q4(SafetensorsFile file, TensorInfo t, int rows)
    {
        const int g32 = WeightQuantizer.Q4Group;
        var w = file.ReadFloat32(t);
        int cols = t.Shape[^1], groups = (cols + g32 - 1) / g32, rowBytes = groups * g32 / 2;
        var q = new byte[(long)rows * rowBytes];
        var scales = new float[rows * groups];
        for (int r = 0; r < rows; r++)
        {
            for (int g = 0; g < groups; g++)
            {
                int c0 = g * g32;
                var part = w.AsSpan(r * cols + c0, Math.Min(g32, cols - c0));
                float s = scales[r * groups + g] = WeightQuantizer.Q4Scale(part);
                for (int j = 0; j < g32 / 2; j++)
                {
                    byte lo = j < part.Length ? WeightQuantizer.Q4(part[j], s) : (byte)8;
                    byte hi = j + g32 / 2 < part.Length ? WeightQuantizer.Q4(part[j + g32 / 2], s) : (byte)8;
                    q[(long)r * rowBytes + g * (g32 / 2) + j] = (byte)(lo | hi << 4);
                }
            }
        }
        return [new(t.Name, [.. t.Shape[..^1], rowBytes], TensorDType.U8, q),
            new(t.Name + ".scale", [.. t.Shape[..^1], groups], TensorDType.F32, MemoryMarshal.AsBytes(scales.AsSpan()).ToArray())];
    }
}
