using Edge.Backends;
using Edge.Families;
using Edge.Onnx.Graphs;
using Edge.Onnx.OnnxStateful;
using Edge.Onnx.Providers;
using Edge.Onnx.Sessions;
using Edge.Packages;

namespace Edge.Onnx;

/// <summary>
/// Runs a family's step as an ONNX graph with ONNX Runtime (CPU, CUDA or DirectML execution provider). For a
/// family that describes its step (<see cref="IModelFamily.Describe"/>), the graph is the package's step.onnx
/// and the state layout, initial state and conditioning inputs come from the descriptor; a family that owns
/// its graph mapping (<see cref="IOnnxStepFamily"/>, such as <c>onnx-stateful</c>) builds the model itself.
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
    public IReadOnlyList<IModelFamily> Families { get; } = [OnnxStatefulFamily.Instance];

    /// <inheritdoc />
    public IStepModel Create(ModelPackage package, IModelFamily family)
    {
        if (family is IOnnxStepFamily own) return own.CreateOnnxModel(package, _options);

        Fail.If(package.OnnxFile is null, EdgeErrorCode.UnsupportedFamily,
            $"{package.Path}: the package has no step graph (model.json has no 'onnx'), so the ONNX backend cannot run it. Export step.onnx with the model's export script, or use the CPU backend.");
        var description = family.Describe(package);
        var session = Open(package, _options);
        try
        {
            var graph = FamilyStepGraph.Build(session.Session, $"{package.Path}/{package.OnnxFile}", description.State,
                description.InputSize, description.OutputSize, description.ConditioningInputs);
            return new OnnxStepModel(session, graph, description, _options);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Opens the package's ONNX graph with the first execution provider of the options that starts.</summary>
    internal static OnnxSession Open(ModelPackage package, OnnxBackendOptions options)
    {
        string file = package.OnnxFile ?? Fail.With<string>(EdgeErrorCode.InvalidPackage, $"{package.Path}/model.json: 'onnx' names no graph.");
        Fail.If(!package.HasFile(file), EdgeErrorCode.InvalidPackage, $"{package.Path}: file '{file}' named by model.json is not in the package.");
        return SessionFactory.Open($"{package.Path}/{file}", package.TryGetFilePath(file), () => package.ReadAllBytes(file), options);
    }
}
