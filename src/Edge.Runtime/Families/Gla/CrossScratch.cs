namespace Edge.Families.Gla;

/// <summary>The buffers one cross-attention step needs.</summary>
internal sealed class CrossScratch
{
    public CrossScratch(GlaConfig c)
    {
        Query = new float[c.DModel];
        Position = new float[c.DBlind];
        PosNet = new BlockScratch(c.PosNetLayer);
    }

    /// <summary>ln_q(q(y)).</summary>
    public float[] Query { get; }

    /// <summary>a1ᵀ P, then the pos_net output z.</summary>
    public float[] Position { get; }

    public BlockScratch PosNet { get; }
}
