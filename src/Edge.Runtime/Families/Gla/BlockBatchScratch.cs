namespace Edge.Families.Gla;

/// <summary>
/// The buffers a <see cref="MixingBlock"/> step of up to <see cref="Capacity"/> streams at once needs: each
/// product's inputs and outputs stacked row after row, one stream a row.
/// </summary>
internal sealed class BlockBatchScratch
{
    public BlockBatchScratch(GlaLayerShape s, int capacity)
    {
        Capacity = capacity;
        Normed = new float[capacity * s.Width];
        Projection = new float[capacity * s.ProjectionRows];
        Decay = new float[s.KeyDim];
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

    /// <summary>One stream's decay (the streams take turns).</summary>
    public float[] Decay { get; }

    /// <summary>The GLA outputs o_proj takes [B, Vd].</summary>
    public float[] Output { get; }

    /// <summary>SwiGLU's [a | b] [B, 2·⌊4w/3⌋].</summary>
    public float[] Hidden { get; }

    /// <summary>SiLU(a) ⊙ b [B, ⌊4w/3⌋], what p_out takes.</summary>
    public float[] Gated { get; }
}
