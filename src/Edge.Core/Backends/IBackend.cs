using Edge.Families;
using Edge.Packages;

namespace Edge.Backends;

/// <summary>Where steps run: builds a family's <see cref="IStepModel"/> from a package (the CPU kernels, ONNX Runtime, ...).</summary>
public interface IBackend
{
    /// <summary>Short name for reports ("cpu", "onnx").</summary>
    string Name { get; }

    /// <summary>Families that come with this backend and run only on it (a graph-only family of the ONNX backend); empty for most.</summary>
    IReadOnlyList<IModelFamily> Families { get; }

    /// <summary>Builds the step model of <paramref name="family"/>; throws <see cref="EdgeException"/> with <see cref="EdgeErrorCode.UnsupportedFamily"/> when this backend cannot run it.</summary>
    IStepModel Create(ModelPackage package, IModelFamily family);
}
