using Edge.Backends;

namespace Edge.Streams;

/// <summary>How to load a model.</summary>
public sealed class EdgeModelOptions
{
    /// <summary>Where steps run; the CPU SIMD backend when null.</summary>
    public IBackend? Backend { get; init; }
}
