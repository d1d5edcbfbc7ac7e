using Edge.Backends;
using Edge.Packages;

namespace Edge.Onnx;

/// <summary>
/// A family whose step exists only as an ONNX graph it maps itself (onnx-stateful: state pairs and constants
/// named in model.json, shapes learnt from the graph). The ONNX backend hands such a family the whole build.
/// </summary>
public interface IOnnxStepFamily
{
    /// <summary>Opens the package's graph with <paramref name="options"/> and builds the step model.</summary>
    IStepModel CreateOnnxModel(ModelPackage package, OnnxBackendOptions options);
}
