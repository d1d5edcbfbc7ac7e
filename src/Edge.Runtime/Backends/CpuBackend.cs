using Edge.Families;
using Edge.Packages;

namespace Edge.Backends;

/// <summary>Runs families on the CPU with Edge's own SIMD kernels: each family builds its own CPU model.</summary>
public sealed class CpuBackend : IBackend
{
    /// <summary>The shared instance (the backend holds no state).</summary>
    public static CpuBackend Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "cpu";

    /// <inheritdoc />
    public IReadOnlyList<IModelFamily> Families => [];

    /// <inheritdoc />
    public IStepModel Create(ModelPackage package, IModelFamily family) => family.CreateCpuModel(package);

    /// <inheritdoc />
    public IStepModel Create(ModelPackage package, IModelFamily family, WeightPrecision? precision) => family.CreateCpuModel(package, precision);

    /// <inheritdoc />
    public IStepModel Create(ModelPackage package, IModelFamily family, WeightPrecision? precision, int? threads) => family.CreateCpuModel(package, precision, threads);
}
