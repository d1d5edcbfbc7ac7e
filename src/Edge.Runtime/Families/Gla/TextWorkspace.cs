namespace Edge.Families.Gla;

/// <summary>
/// One stream's text-dependent buffers, sized for up to <see cref="Capacity"/> text tokens: the text
/// encoder's activations and the cross-attention's keys, values and positions, computed once per utterance.
/// </summary>
internal sealed class TextWorkspace
{
    public TextWorkspace(GlaConfig c, int capacity)
    {
        int d = c.DModel, db = c.DBlind;
        Capacity = capacity;
        X = new float[capacity * d];
        Normed = new float[capacity * d];
        Qkv = new float[capacity * 3 * d];
        Row = new float[Math.Max(capacity, d)];
        AttentionOut = new float[d];
        Hidden = new float[2 * (d * 4 / 3)];
        Keys = new float[capacity * d];
        ValuesT = new float[d * capacity];
        Positions = new float[capacity * db];
        PositionsT = new float[db * capacity];
    }

    /// <summary>Most text tokens these buffers hold.</summary>
    public int Capacity { get; }

    /// <summary>Text tokens of the current utterance (0 = no text set).</summary>
    public int Length { get; set; }

    /// <summary>Encoder activations, then its output ctx [J, d].</summary>
    public float[] X { get; }

    public float[] Normed { get; }
    public float[] Qkv { get; }

    /// <summary>One row of attention scores (the text encoder's, then each step's a1 and a2).</summary>
    public float[] Row { get; }

    public float[] AttentionOut { get; }
    public float[] Hidden { get; }

    /// <summary>K = ln_k(k(ctx)), [J, d].</summary>
    public float[] Keys { get; }

    /// <summary>V = ln_v(v(ctx)) transposed, [d, J], so a2ᵀV is one matrix-vector product.</summary>
    public float[] ValuesT { get; }

    /// <summary>P [J, d_blind].</summary>
    public float[] Positions { get; }

    /// <summary>Pᵀ [d_blind, J].</summary>
    public float[] PositionsT { get; }
}
