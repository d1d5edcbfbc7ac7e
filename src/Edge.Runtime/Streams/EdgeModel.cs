using Edge.Backends;
using Edge.Families;
using Edge.Packages;

namespace Edge.Streams;

/// <summary>
/// A model loaded once from a package: weights read and validated, immutable and safe to share across
/// threads. Streams created from it each own a fixed-size state.
/// </summary>
public sealed class EdgeModel : IDisposable
{
    private EdgeModel(ModelPackage package, IModelFamily family, IStepModel step, int? batchLimit)
    {
        Package = package;
        FamilyDescriptor = family;
        StepModel = step;
        BatchLimit = batchLimit;
    }

    /// <summary>
    /// Loads a package folder or zip with the backend named in <paramref name="options"/> (CPU by default). The
    /// family is looked up in the options' families, then the backend's, then <see cref="BuiltInFamilies.All"/>.
    /// </summary>
    public static EdgeModel Load(string path, EdgeModelOptions? options = null)
    {
        var package = ModelPackage.Open(path);
        var backend = options?.Backend ?? CpuBackend.Instance;
        var family = FamilyRegistry.Find(package, options?.Families, backend.Families, BuiltInFamilies.All);
        package.RequireKnownKeys([.. family.ManifestKeys]);
        if (options?.Threads is { } threads)
            Fail.If(threads < 1 || threads > Edge.Kernels.KernelThreads.MaxThreads, EdgeErrorCode.InvalidArgument,
                $"EdgeModelOptions.Threads is {threads}; give 1 to {Edge.Kernels.KernelThreads.MaxThreads} (or leave it unset).");
        if (options?.BatchLimit is { } limit)
            Fail.If(limit < 1 || limit > StreamBatch.MaxCapacity, EdgeErrorCode.InvalidArgument,
                $"EdgeModelOptions.BatchLimit is {limit}; give 1 to {StreamBatch.MaxCapacity} (or leave it unset).");
        return new EdgeModel(package, family, backend.Create(package, family, options?.Precision, options?.Threads), options?.BatchLimit);
    }

    /// <summary>The most streams one batched step of a <see cref="StreamBatch"/> carries (<see cref="EdgeModelOptions.BatchLimit"/>); null: no limit.</summary>
    public int? BatchLimit { get; }

    /// <summary>How the weight matrices are kept in memory (the CPU backend's; null on a backend that runs a graph's own weights).</summary>
    public WeightPrecision? Precision => StepModel is IPrecisionReport r ? r.Precision : null;

    /// <summary>Threads one step's large products are split across (1: the stepping thread alone; always 1 on a backend other than the CPU's).</summary>
    public int Threads => StepModel is IThreadReport r ? r.Threads : 1;

    /// <summary>What one step reads and computes, for roofline reports; null where the step model does not say (the ONNX backend).</summary>
    public IStepCost? StepCost => StepModel as IStepCost;

    /// <summary>The package it was loaded from.</summary>
    public ModelPackage Package { get; }

    /// <summary>The family's descriptor.</summary>
    public IModelFamily FamilyDescriptor { get; }

    /// <summary>The step implementation (for backends and benchmarks).</summary>
    public IStepModel StepModel { get; }

    /// <summary>The family, as in model.json.</summary>
    public string Family => Package.Family;

    /// <summary>The model's identity; state files and snapshots are bound to it.</summary>
    public string Sha256 => Package.Sha256;

    /// <summary>Floats per step input.</summary>
    public int InputSize => StepModel.InputSize;

    /// <summary>Floats per step output.</summary>
    public int OutputSize => StepModel.OutputSize;

    /// <summary>The state layout; its size is fixed by the config.</summary>
    public StateLayout State => StepModel.State;

    /// <summary>Which backend runs the steps.</summary>
    public string BackendName => StepModel.BackendName;

    /// <summary>Creates a stream in the initial state.</summary>
    public ModelStream CreateStream() => new(this, StepModel.CreateSession());

    /// <summary>Releases backend resources (ONNX sessions).</summary>
    public void Dispose() => StepModel.Dispose();
}
