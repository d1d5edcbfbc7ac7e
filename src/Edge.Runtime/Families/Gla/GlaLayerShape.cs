namespace Edge.Families.Gla;

/// <summary>The sizes of one GLA layer at block width <see cref="Width"/> (docs/families/gla-tts.md).</summary>
/// <param name="Width">Block width: d_model, or d_blind for the cross-attention's pos_net.</param>
/// <param name="Heads">Heads H.</param>
/// <param name="KeyDim">Kd = ⌊width·expand_k⌋.</param>
/// <param name="ValueDim">Vd = ⌊width·expand_v⌋.</param>
/// <param name="GateRank">gate_low_rank_dim.</param>
/// <param name="UseShortConv">Whether q, k, v pass through short causal convolutions.</param>
/// <param name="ConvSize">Taps of each short convolution.</param>
/// <param name="GateNormalizer">gate_logit_normalizer.</param>
/// <param name="Eps">The output RMSNorm's eps.</param>
public sealed record GlaLayerShape(int Width, int Heads, int KeyDim, int ValueDim, int GateRank, bool UseShortConv, int ConvSize, float GateNormalizer, float Eps)
{
    /// <summary>Key dims per head, Kh.</summary>
    public int HeadKeyDim => KeyDim / Heads;

    /// <summary>Value dims per head, Vh.</summary>
    public int HeadValueDim => ValueDim / Heads;

    /// <summary>Floats of the three conv rings (0 without short convolutions).</summary>
    public int RingLength => UseShortConv ? (2 * KeyDim + ValueDim) * ConvSize : 0;

    /// <summary>Floats of S, <c>[H, Kh, Vh]</c>.</summary>
    public int StateMatrixLength => Heads * HeadKeyDim * HeadValueDim;

    /// <summary>Floats of the layer's whole state: rings then S.</summary>
    public int StateLength => RingLength + StateMatrixLength;

    /// <summary>Rows of the fused input projection <c>[q; k; v; g; gk_low]</c>.</summary>
    public int ProjectionRows => 2 * KeyDim + 2 * ValueDim + GateRank;

    /// <summary>SwiGLU hidden width ⌊4w/3⌋.</summary>
    public int FeedForwardDim => Width * 4 / 3;

    /// <summary>The state entries of this layer, in file order, named under <paramref name="prefix"/>.</summary>
    public IEnumerable<(string Name, int[] Shape)> StateEntries(string prefix)
    {
        if (UseShortConv)
        {
            yield return ($"{prefix}.conv_q", [KeyDim, ConvSize]);
            yield return ($"{prefix}.conv_k", [KeyDim, ConvSize]);
            yield return ($"{prefix}.conv_v", [ValueDim, ConvSize]);
        }
        yield return ($"{prefix}.S", [Heads, HeadKeyDim, HeadValueDim]);
    }
}
