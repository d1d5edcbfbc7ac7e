using Edge.Packages;

namespace Edge.Backends;

/// <summary>Where steps run: builds a family's <see cref="IStepModel"/> from a package (the CPU kernels, ONNX Runtime, ...).</summary>
public interface IBackend
{
    /// <summary>Short name for reports and the CLI ("cpu", "onnx").</summary>
    string Name { get; }

    /// <summary>Builds the step model; throws <see cref="EdgeException"/> with <see cref="EdgeErrorCode.UnsupportedFamily"/> when this backend cannot run the family.</summary>
    IStepModel Create(ModelPackage package);
}
