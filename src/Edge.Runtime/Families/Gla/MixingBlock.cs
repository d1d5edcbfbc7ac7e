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

    /// <summary>
    /// Advances the block one step for <paramref name="count"/> streams at once: <paramref name="xs"/> holds their
    /// vectors row after row (updated in place), <paramref name="states"/>[i] is row i's flat state and the block's
    /// state starts at <paramref name="stateAt"/> in each. The four products read each weight once for all rows
    /// (<see cref="PackedMatrix.MultiplyMany"/>, split across <paramref name="threads"/>); the norms run row by row and
    /// <see cref="GlaLayer.Recur"/> stream by stream on each stream's own state in place, the streams shared among
    /// <paramref name="threads"/> (<see cref="KernelThreads.TryRunRows"/>). Every row gets the bits of
    /// <see cref="Step"/>.
    /// </summary>
    public void StepMany(Span<float> xs, int count, float[][] states, int stateAt, BlockBatchScratch scratch, KernelThreads? threads)
    {
        var s = Shape;
        int w = s.Width, pr = s.ProjectionRows, vd = s.ValueDim, f = s.FeedForwardDim;
        Span<float> h = scratch.Normed.AsSpan(0, count * w), proj = scratch.Projection.AsSpan(0, count * pr), o = scratch.Output.AsSpan(0, count * vd);
        Span<float> hidden = scratch.Hidden.AsSpan(0, count * 2 * f), gated = scratch.Gated.AsSpan(0, count * f);
        for (int i = 0; i < count; i++) Norm1.Apply(xs.Slice(i * w, w), h.Slice(i * w, w));
        TimeMix.InProj.MultiplyMany(h, proj, count, threads);
        // Each stream's recurrence reads and writes its own state (memory-bound): the streams share the threads.
        scratch.Recurring(TimeMix, states, stateAt);
        if (threads is null || !threads.TryRunRows(scratch, count))
        {
            for (int i = 0; i < count; i++) scratch.Run(i);
        }
        TimeMix.OutProj.MultiplyAccumulateMany(o, xs, count, threads);
        for (int i = 0; i < count; i++) Norm2.Apply(xs.Slice(i * w, w), h.Slice(i * w, w));
        ChannelMix.InWeight.MultiplyAddBiasMany(h, ChannelMix.InBias, hidden, count, threads);
        for (int i = 0; i < count; i++) ChannelMix.Gate(hidden.Slice(i * 2 * f, 2 * f), gated.Slice(i * f, f));
        ChannelMix.OutWeight.MultiplyAccumulateMany(gated, xs, count, threads);
        for (int i = 0; i < count; i++)
        {
            var x = xs.Slice(i * w, w);
            System.Numerics.Tensors.TensorPrimitives.Add(x, ChannelMix.OutBias, x);
        }
    }
}
