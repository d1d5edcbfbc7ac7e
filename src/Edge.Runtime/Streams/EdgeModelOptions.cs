using Edge.Backends;
using Edge.Families;
using Edge.Packages;

namespace Edge.Streams;

/// <summary>How to load a model.</summary>
public sealed class EdgeModelOptions
{
    /// <summary>Where steps run; the CPU SIMD backend when null.</summary>
    public IBackend? Backend { get; init; }

    /// <summary>Families of your own, looked up before the backend's and the built-in ones (<see cref="BuiltInFamilies"/>).</summary>
    public IReadOnlyList<IModelFamily> Families { get; init; } = [];

    /// <summary>
    /// How the CPU backend keeps the weight matrices in memory (fp32, fp16, int8, q4); null keeps them as the
    /// package stores them. Inputs, outputs and state stay float32 (float64 where a family's state is).
    /// </summary>
    public WeightPrecision? Precision { get; init; }
}
