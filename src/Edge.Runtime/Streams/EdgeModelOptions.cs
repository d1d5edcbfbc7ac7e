using Edge.Backends;
using Edge.Families;

namespace Edge.Streams;

/// <summary>How to load a model.</summary>
public sealed class EdgeModelOptions
{
    /// <summary>Where steps run; the CPU SIMD backend when null.</summary>
    public IBackend? Backend { get; init; }

    /// <summary>Families of your own, looked up before the backend's and the built-in ones (<see cref="BuiltInFamilies"/>).</summary>
    public IReadOnlyList<IModelFamily> Families { get; init; } = [];
}
