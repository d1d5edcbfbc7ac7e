namespace Edge.Families.Gla;

/// <summary>The buffers one <see cref="MixingBlock"/> step needs, for one block width.</summary>
internal sealed class BlockScratch
{
    public BlockScratch(GlaLayerShape s)
    {
        Normed = new float[s.Width];
        Hidden = new float[2 * s.FeedForwardDim];
        Gla = new GlaScratch(s);
    }

    /// <summary>The LayerNorm output.</summary>
    public float[] Normed { get; }

    /// <summary>SwiGLU's [a | b].</summary>
    public float[] Hidden { get; }

    /// <summary>The GLA layer's buffers.</summary>
    public GlaScratch Gla { get; }
}
