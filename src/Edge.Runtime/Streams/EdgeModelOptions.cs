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

    /// <summary>
    /// Threads one step's large matrix products are split across on the CPU backend (1 … 256; outputs are the
    /// same bits at any count). Null: one thread, unless a step reads at least 64 MB of weights (gla-tts at
    /// release size), then one a core up to 4 (<see cref="Edge.Kernels.KernelThreads.Automatic"/>). Families
    /// with small steps (gru-attention, aaren, cae) always step on one thread.
    /// </summary>
    public int? Threads { get; init; }

    /// <summary>
    /// The most streams one batched step carries (1 … <see cref="StreamBatch.MaxCapacity"/>): a larger
    /// <see cref="StreamBatch"/> steps its members in consecutive batched steps of at most this many, each weight
    /// read once per such step. Null: no limit (a batch is one step). A device profile's <c>batch_limit</c>: on a
    /// device whose cache holds the weights but not many streams' states, smaller steps keep each state in cache.
    /// </summary>
    public int? BatchLimit { get; init; }
}
