using Edge.Backends;
using Edge.Families.Gla;
using Edge.Onnx.Graphs;
using Edge.Onnx.OnnxStateful;
using Edge.Onnx.Providers;
using Edge.Onnx.Sessions;
using Edge.Packages;
using Edge.Streams;

namespace Edge.Onnx;

/// <summary>
/// Runs a family's step as an ONNX graph with ONNX Runtime (CPU, CUDA or DirectML execution provider).
/// For a family Edge implements, the graph is the package's step.onnx and the state layout and initial
/// state come from the CPU family; for <c>onnx-stateful</c> both come from model.json and the graph itself.
/// </summary>
public sealed class OnnxBackend : IBackend
{
    private readonly OnnxBackendOptions _options;

    /// <summary>Creates the backend; the CPU execution provider with one thread when <paramref name="options"/> is null.</summary>
    public OnnxBackend(OnnxBackendOptions? options = null) => _options = options ?? new OnnxBackendOptions();

    /// <inheritdoc />
    public string Name => "onnx";

    /// <summary>The options sessions are made with.</summary>
    public OnnxBackendOptions Options => _options;

    /// <inheritdoc />
    public IStepModel Create(ModelPackage package)
    {
        if (package.Family == OnnxStatefulFamily.Name) return OnnxStatefulFamily.Create(package, _options);

        Fail.If(package.OnnxFile is null, EdgeErrorCode.UnsupportedFamily,
            $"{package.Path}: the package has no step graph (model.json has no 'onnx'), so the ONNX backend cannot run it. Export step.onnx with the model's export script, or use --backend cpu.");
        if (package.Family == GlaFamily) return CreateGla(package);
        var (layout, inputSize, outputSize, initial) = DescribeFamily(package);
        var session = Open(package, _options);
        try
        {
            var graph = FamilyStepGraph.Build(session.Session, $"{package.Path}/{package.OnnxFile}", layout, inputSize, outputSize);
            return new OnnxStepModel(session, graph, initial, _options);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private const string GlaFamily = "gla-tts";

    // gla-tts: the graph is the decoder step; the text side (encoder, K, V, P) and voices stay with the CPU
    // family, which the model keeps loaded (Sessions/GlaOnnxModel.cs).
    private GlaOnnxModel CreateGla(ModelPackage package)
    {
        var cpu = GlaTtsModel.Create(package);
        OnnxSession? session = null;
        try
        {
            session = Open(package, _options);
            var graph = GlaOnnxModel.BuildGraph(session.Session, $"{package.Path}/{package.OnnxFile}", cpu);
            using var probe = cpu.CreateSession();
            probe.Reset();
            var initial = new float[cpu.State.TotalLength];
            probe.ReadState(initial);
            return new GlaOnnxModel(new OnnxStepModel(session, graph, initial, _options), cpu);
        }
        catch
        {
            session?.Dispose();
            cpu.Dispose();
            throw;
        }
    }

    /// <summary>Opens the package's ONNX graph with the first execution provider of the options that starts.</summary>
    internal static OnnxSession Open(ModelPackage package, OnnxBackendOptions options)
    {
        string file = package.OnnxFile!;
        Fail.If(!package.HasFile(file), EdgeErrorCode.InvalidPackage, $"{package.Path}: file '{file}' named by model.json is not in the package.");
        return SessionFactory.Open($"{package.Path}/{file}", package.TryGetFilePath(file), () => package.ReadAllBytes(file), options);
    }

    // The state layout, sizes and initial state are the family's, read from its CPU implementation, so a
    // family gains the ONNX backend by exporting step.onnx and nothing else.
    private static (StateLayout Layout, int Input, int Output, float[] Initial) DescribeFamily(ModelPackage package)
    {
        IStepModel cpu;
        try
        {
            cpu = CpuBackend.Instance.Create(package);
        }
        catch (EdgeException e) when (e.Code == EdgeErrorCode.UnsupportedFamily)
        {
            throw new EdgeException(EdgeErrorCode.UnsupportedFamily,
                $"{package.Path}: family '{package.Family}' is not known to this build; the ONNX backend takes its state layout from the CPU family ({string.Join(", ", CpuBackend.Families)}) or runs onnx-stateful packages.", e);
        }
        using (cpu)
        using (var session = cpu.CreateSession())
        {
            session.Reset();
            var initial = new float[cpu.State.TotalLength];
            session.ReadState(initial);
            return (cpu.State, cpu.InputSize, cpu.OutputSize, initial);
        }
    }
}
