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

    /// <summary>
    /// Builds the step model with its weights kept at <paramref name="precision"/> (null: as stored). Only the CPU
    /// backend keeps weights itself; other backends refuse a precision, since their graph carries its own weights.
    /// </summary>
    IStepModel Create(ModelPackage package, IModelFamily family, WeightPrecision? precision)
    {
        Fail.If(precision is not null, EdgeErrorCode.InvalidArgument,
            $"{package.Path}: EdgeModelOptions.Precision sets how the CPU backend keeps weights; the {Name} backend runs its graph's own weights. Leave it unset with this backend.");
        return Create(package, family);
    }

    /// <summary>
    /// Builds the step model at <paramref name="precision"/> with one step's products split across
    /// <paramref name="threads"/> threads (null: as the family decides). Only the CPU backend splits products
    /// itself; other backends refuse a thread count (their runtime has its own threads settings).
    /// </summary>
    IStepModel Create(ModelPackage package, IModelFamily family, WeightPrecision? precision, int? threads)
    {
        Fail.If(threads is not null, EdgeErrorCode.InvalidArgument,
            $"{package.Path}: EdgeModelOptions.Threads splits the CPU backend's products across threads; the {Name} backend has its own threads settings. Leave it unset with this backend.");
        return Create(package, family, precision);
    }
}
