using System.Globalization;
using System.Text.Json;
using Edge.Cli.Arguments;
using Edge.Families;
using Edge.Formats.Safetensors;
using Edge.Onnx;
using Edge.Packages;
using Edge.Streams;

namespace Edge.Cli.Commands;

/// <summary>
/// <c>edge inspect PKG [--json]</c>: what a package is before anyone runs it: family, files, weights, the
/// step's input and output, the state, precision, identity and provenance.
/// </summary>
internal static class InspectCommand
{
    public static int Run(string[] args, TextWriter stdout)
    {
        var a = ParsedArguments.Parse("inspect", args);
        string path = a.Positional(0, "PKG (a model package folder or zip)");
        a.ExpectPositionals(1);
        var package = ModelPackage.Open(path);
        // Built-in families load on the CPU backend; the others (onnx-stateful) on the ONNX backend, which runs their graph.
        bool cpu = BuiltInFamilies.All.Any(f => f.Name == package.Family);
        using var model = EdgeModel.Load(path, cpu ? BackendChoice.LoadOptions(Edge.Backends.CpuBackend.Instance) : new EdgeModelOptions { Backend = new OnnxBackend() });
        var report = new InspectReport(path, package.Family, Text(package, "name"), Text(package, "description"), model.BackendName,
            package.Precision, package.Sha256, model.InputSize, model.OutputSize, model.State.Bytes,
            [.. model.State.Entries.Select(e => new StateReport(e.Name, e.Shape, e.DType.ToString().ToLowerInvariant()))],
            Weights(package), package.OnnxFile, Files(package, path), package.Provenance);
        if (a.Flag("--json"))
        {
            stdout.WriteLine(JsonOutput.Serialize(report));
            return 0;
        }
        var c = CultureInfo.InvariantCulture;
        stdout.WriteLine($"{path}: family {report.Family}{(report.Name is null ? "" : $", \"{report.Name}\"")}");
        if (report.Description is not null) stdout.WriteLine($"  {report.Description}");
        stdout.WriteLine($"  step        {report.InputSize} floats in, {report.OutputSize} floats out (backend {report.Backend})");
        var shown = report.State.Take(4).Select(e => $"{e.Name} {e.Dtype} [{string.Join(", ", e.Shape)}]");
        string more = report.State.Count > 4 ? $", and {report.State.Count - 4} more (--json lists them)" : "";
        stdout.WriteLine(string.Create(c, $"  state       {report.StateBytes:N0} bytes, {report.State.Count} entries: {string.Join(", ", shown)}{more}"));
        stdout.WriteLine(report.Weights is { } w
            ? string.Create(c, $"  weights     {w.File}: {w.Tensors} tensors, {w.Parameters:N0} parameters, {w.Bytes / 1e6:F2} MB, stored {report.Precision}")
            : $"  weights     none (the ONNX graph {report.Onnx} carries them)");
        if (report.Onnx is not null) stdout.WriteLine($"  onnx        {report.Onnx}");
        stdout.WriteLine($"  identity    {report.Sha256} (state files and voices are bound to it)");
        foreach (var f in report.Files) stdout.WriteLine(string.Create(c, $"  file        {f.Name} ({f.Bytes:N0} bytes)"));
        if (report.Provenance is { } p && p.ValueKind == JsonValueKind.Object)
            foreach (var prop in p.EnumerateObject())
                stdout.WriteLine($"  provenance  {prop.Name}: {MessageText.Value(prop.Value.ValueKind == JsonValueKind.String ? prop.Value.GetString()! : prop.Value.GetRawText(), 160)}");
        return 0;
    }

    internal sealed record StateReport(string Name, int[] Shape, string Dtype);

    internal sealed record WeightsReport(string File, int Tensors, long Parameters, long Bytes);

    internal sealed record FileReport(string Name, long Bytes);

    internal sealed record InspectReport(string Package, string Family, string? Name, string? Description, string Backend, string Precision, string Sha256,
        int InputSize, int OutputSize, int StateBytes, IReadOnlyList<StateReport> State, WeightsReport? Weights, string? Onnx,
        IReadOnlyList<FileReport> Files, JsonElement? Provenance);

    // model.json's free-text keys as written (the package checks its structure, not these).
    private static string? Text(ModelPackage package, string key)
    {
        using var doc = JsonDocument.Parse(package.ReadAllBytes("model.json"), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return doc.RootElement.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    }

    private static WeightsReport? Weights(ModelPackage package)
    {
        if (!package.HasWeights) return null;
        using var file = SafetensorsFile.Open(package.OpenFile(package.WeightsFile), $"{package.Path}/{package.WeightsFile}");
        long parameters = file.Tensors.Sum(t => t.Shape.Aggregate(1L, (n, d) => n * d));
        return new WeightsReport(package.WeightsFile, file.Tensors.Count, parameters, file.Tensors.Sum(t => t.End - t.Begin));
    }

    // The files model.json names (itself, the weights, the graph, every checksummed file), largest first; a zip as one file.
    private static IReadOnlyList<FileReport> Files(ModelPackage package, string path)
    {
        if (File.Exists(path)) return [new FileReport(Path.GetFileName(path), new FileInfo(path).Length)];
        var names = new SortedSet<string>(StringComparer.Ordinal) { "model.json" };
        if (package.HasWeights) names.Add(package.WeightsFile);
        if (package.OnnxFile is { } onnx) names.Add(onnx);
        using (var doc = JsonDocument.Parse(package.ReadAllBytes("model.json"), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }))
            if (doc.RootElement.TryGetProperty("sha256", out var sums) && sums.ValueKind == JsonValueKind.Object)
                foreach (var p in sums.EnumerateObject()) names.Add(p.Name);
        return [.. names.Where(package.HasFile).Select(n => new FileReport(n, new FileInfo(Path.Combine(path, n)).Length)).OrderByDescending(f => f.Bytes)];
    }
}
