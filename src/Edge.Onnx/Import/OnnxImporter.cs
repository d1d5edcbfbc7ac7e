using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Onnx.Graphs;
using Edge.Onnx.Providers;
using Edge.Streams;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Onnx.Import;

/// <summary>
/// Turns a stateful ONNX graph into an onnx-stateful package with no hand-written JSON (<c>edge import</c>):
/// reads the graph's inputs and outputs, plans the mapping (<see cref="ImportPlanner"/>), writes model.json
/// and a copy of the graph into a new folder, and runs one trial step through an Edge stream before the
/// folder takes its final name, so a package that does not run is never left behind.
/// </summary>
public static class OnnxImporter
{
    /// <summary>Largest graph file accepted (ONNX's own protobuf limit is 2 GB).</summary>
    public const long MaxGraphBytes = 2L << 30;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The graph's inputs and outputs (initializers excluded), read with ONNX Runtime on the CPU.</summary>
    public static (IReadOnlyList<GraphPort> Inputs, IReadOnlyList<GraphPort> Outputs) ReadPorts(string onnxPath)
    {
        CheckGraphFile(onnxPath);
        using var session = SessionFactory.Open(onnxPath, onnxPath, () => File.ReadAllBytes(onnxPath), new OnnxBackendOptions(), optimize: false);
        var s = session.Session;
        return ([.. s.InputNames.Select(n => Port(n, s.InputMetadata[n]))], [.. s.OutputNames.Select(n => Port(n, s.OutputMetadata[n]))]);
    }

    /// <summary>Imports <paramref name="onnxPath"/> into the new folder <paramref name="output"/> (absent or empty).</summary>
    public static OnnxImportResult Import(string onnxPath, string output, OnnxImportOptions? options = null)
    {
        options ??= new OnnxImportOptions();
        Fail.If(File.Exists(output) || Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any(), EdgeErrorCode.InvalidArgument,
            $"{output}: already exists; name a new folder for the package.");
        string? parent = Path.GetDirectoryName(Path.GetFullPath(output));
        Fail.If(parent is null || !Directory.Exists(parent), EdgeErrorCode.FileNotFound, $"{output}: the folder it would go in does not exist.");
        var (inputs, outputs) = ReadPorts(onnxPath);
        var plan = ImportPlanner.Plan(inputs, outputs, options, onnxPath);

        string temp = Path.Combine(parent, $".{Path.GetFileName(Path.GetFullPath(output))}.import-{Environment.ProcessId}");
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        Directory.CreateDirectory(temp);
        try
        {
            File.Copy(onnxPath, Path.Combine(temp, "model.onnx"));
            string digest;
            using (var f = File.OpenRead(Path.Combine(temp, "model.onnx"))) digest = Convert.ToHexStringLower(SHA256.HashData(f));
            string name = options.Name ?? Path.GetFileNameWithoutExtension(onnxPath);
            File.WriteAllText(Path.Combine(temp, "model.json"), ModelJson(plan, name, Path.GetFileName(onnxPath), digest).ToJsonString(Indented) + "\n");

            OnnxImportResult result;
            using (var model = EdgeModel.Load(temp, new EdgeModelOptions { Backend = new OnnxBackend() }))
            using (var stream = model.CreateStream())
            {
                var frame = new float[model.InputSize];
                var y = new float[model.OutputSize];
                stream.Step(frame, y);
                int bad = Array.FindIndex(y, v => !float.IsFinite(v));
                Fail.If(bad >= 0, EdgeErrorCode.InvalidArgument, $"{onnxPath}: the trial step on a frame of zeros gave {y[bad]} at output {bad}; the mapping is likely wrong (check --input, --state, --const).");
                result = new OnnxImportResult(output, plan, model.InputSize, model.OutputSize, model.State.Bytes, model.Sha256);
            }
            if (Directory.Exists(output)) Directory.Delete(output);
            Directory.Move(temp, output);
            return result;
        }
        catch
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            throw;
        }
    }

    private static JsonObject ModelJson(ImportPlan plan, string name, string source, string digest)
    {
        var config = new JsonObject
        {
            ["input"] = plan.Input,
            ["output"] = plan.Output,
            ["state"] = new JsonArray([.. plan.State.Select(p => (JsonNode)new JsonObject { ["input"] = p.Input, ["output"] = p.Output })]),
        };
        if (plan.Constants.Count > 0)
        {
            var constants = new JsonObject();
            foreach (var (n, dtype, value) in plan.Constants)
                constants[n] = new JsonObject { ["dtype"] = dtype, ["value"] = dtype == "bool" ? JsonValue.Create(value != 0) : dtype is "int64" or "int32" ? JsonValue.Create((long)value) : JsonValue.Create(value) };
            config["constants"] = constants;
        }
        if (plan.InputShape is { } shape) config["input_shape"] = new JsonArray([.. shape.Select(d => (JsonNode)JsonValue.Create(d))]);
        return new JsonObject
        {
            ["format"] = "edge-model",
            ["version"] = 1,
            ["family"] = "onnx-stateful",
            ["name"] = name,
            ["description"] = $"{source}, imported by edge import",
            ["onnx"] = "model.onnx",
            ["config"] = config,
            ["provenance"] = new JsonObject { ["source"] = source, ["source_sha256"] = digest, ["made_by"] = "edge import" },
            ["sha256"] = new JsonObject { ["model.onnx"] = digest },
        };
    }

    private static void CheckGraphFile(string path)
    {
        Fail.If(!File.Exists(path), Directory.Exists(path) ? EdgeErrorCode.InvalidArgument : EdgeErrorCode.FileNotFound,
            Directory.Exists(path) ? $"{path}: is a folder; give the .onnx file." : $"{path}: no such file.");
        long length = new FileInfo(path).Length;
        Fail.If(length == 0 || length > MaxGraphBytes, EdgeErrorCode.InvalidPackage, $"{path}: {length} bytes is not an ONNX graph Edge can import (1 byte to 2 GB).");
    }

    private static GraphPort Port(string name, NodeMetadata m) =>
        new(name, m.IsTensor ? GraphSignature.TypeName(m.ElementDataType) : m.OnnxValueType.ToString().ToLowerInvariant(), [.. m.Dimensions.Select(d => (long)d)]);
}
