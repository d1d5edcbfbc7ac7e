using Edge.Kernels;
using Edge.Packages;

namespace Edge.Families.Gla;

/// <summary>
/// Lina-Speech's recurrent block: <c>x ← x + GLA(norm1(x)); x ← x + SwiGLU(norm2(x))</c>.
/// </summary>
internal sealed class MixingBlock
{
    private MixingBlock(NormWeights norm1, GlaLayerWeights tmix, NormWeights norm2, SwiGlu cmix)
    {
        Norm1 = norm1;
        TimeMix = tmix;
        Norm2 = norm2;
        ChannelMix = cmix;
    }

    public NormWeights Norm1 { get; }
    public GlaLayerWeights TimeMix { get; }
    public NormWeights Norm2 { get; }
    public SwiGlu ChannelMix { get; }

    public GlaLayerShape Shape => TimeMix.Shape;

    /// <summary>Floats a step reads from the block's weights.</summary>
    public long WeightFloats => 4L * Shape.Width + TimeMix.WeightFloats + ChannelMix.WeightFloats;

    /// <summary>Bytes a step reads from the block's weights, at the precision the matrices are kept.</summary>
    public long WeightBytes => 16L * Shape.Width + TimeMix.WeightBytes + ChannelMix.WeightBytes;

    /// <summary>Takes <c>{prefix}norm1.*</c>, <c>{prefix}tmix.*</c>, <c>{prefix}norm2.*</c>, <c>{prefix}cmix.*</c>.</summary>
    public static MixingBlock Load(ModelWeights w, string prefix, GlaLayerShape s, WeightPrecision precision = WeightPrecision.Fp32) => new(
        NormWeights.Load(w, $"{prefix}norm1", s.Width, s.Eps),
        GlaLayerWeights.Load(w, $"{prefix}tmix.", s, precision),
        NormWeights.Load(w, $"{prefix}norm2", s.Width, s.Eps),
        SwiGlu.Load(w, $"{prefix}cmix.", s.Width, precision));

    /// <summary>Advances the block one step on <paramref name="x"/> in place, its products split across <paramref name="threads"/> (null: this thread).</summary>
    public void Step(Span<float> x, Span<float> state, BlockScratch scratch, KernelThreads? threads = null)
    {
        Span<float> h = scratch.Normed;
        Norm1.Apply(x, h);
        GlaLayer.Step(TimeMix, h, state, scratch.Gla, x, threads);
        Norm2.Apply(x, h);
        ChannelMix.Accumulate(h, scratch.Hidden, x, threads);
    }
}
