namespace Edge.Families.Gla;

/// <summary>The buffers one GLA step needs, allocated once per stream for one layer shape.</summary>
internal sealed class GlaScratch
{
    public GlaScratch(GlaLayerShape s)
    {
        Projection = new float[s.ProjectionRows];
        Decay = new float[s.KeyDim];
        Output = new float[s.ValueDim];
    }

    /// <summary>Shares the heads' recurrences among the step's threads.</summary>
    public Edge.Kernels.GlaHeads Heads { get; } = new();

    /// <summary>[q; k; v; g; gk_low] for the current step.</summary>
    public float[] Projection { get; }

    /// <summary>Per key-dim decay exp(gk).</summary>
    public float[] Decay { get; }

    /// <summary>The heads' outputs, concatenated [Vd].</summary>
    public float[] Output { get; }
}
