using Edge.Kernels;

namespace Edge.Families.Gla;

/// <summary>
/// The buffers a <see cref="MixingBlock"/> step of up to <see cref="Capacity"/> streams at once needs: each
/// product's inputs and outputs stacked row after row, one stream a row. Also the per-stream part of a GLA layer
/// as rows the model's threads can share (<see cref="IRowWork"/>: row i runs <see cref="GlaLayer.Recur"/> on
/// stream i's projection, decay, output and state, touching nothing of the other rows).
/// </summary>
internal sealed class BlockBatchScratch : IRowWork
{
    private GlaLayerWeights? _layer;
    private float[][] _states = [];
    private int _stateAt;

    public BlockBatchScratch(GlaLayerShape s, int capacity)
    {
        Capacity = capacity;
        Normed = new float[capacity * s.Width];
        Projection = new float[capacity * s.ProjectionRows];
        Decay = new float[capacity * s.KeyDim];
        Output = new float[capacity * s.ValueDim];
        Hidden = new float[capacity * 2 * s.FeedForwardDim];
        Gated = new float[capacity * s.FeedForwardDim];
    }

    /// <summary>The most streams these buffers hold.</summary>
    public int Capacity { get; }

    /// <summary>The LayerNorm outputs [B, w].</summary>
    public float[] Normed { get; }

    /// <summary>The in-projections [B, 2Kd + 2Vd + r].</summary>
    public float[] Projection { get; }

    /// <summary>The decays [B, Kd].</summary>
    public float[] Decay { get; }

    /// <summary>The GLA outputs o_proj takes [B, Vd].</summary>
    public float[] Output { get; }

    /// <summary>SwiGLU's [a | b] [B, 2·⌊4w/3⌋].</summary>
    public float[] Hidden { get; }

    /// <summary>SiLU(a) ⊙ b [B, ⌊4w/3⌋], what p_out takes.</summary>
    public float[] Gated { get; }

    /// <summary>Sets the layer and the streams' states (state i starts at <paramref name="stateAt"/> of <paramref name="states"/>[i]) the rows run on.</summary>
    public void Recurring(GlaLayerWeights layer, float[][] states, int stateAt)
    {
        _layer = layer;
        _states = states;
        _stateAt = stateAt;
    }

    /// <summary>Row i of <see cref="GlaLayer.Recur"/>: stream i's slice of every buffer, its state in place.</summary>
    public void Run(int row)
    {
        var w = _layer!;
        var s = w.Shape;
        int pr = s.ProjectionRows, kd = s.KeyDim, vd = s.ValueDim;
        GlaLayer.Recur(w, Projection.AsSpan(row * pr, pr), _states[row].AsSpan(_stateAt, s.StateLength), Decay.AsSpan(row * kd, kd), Output.AsSpan(row * vd, vd));
    }
}
