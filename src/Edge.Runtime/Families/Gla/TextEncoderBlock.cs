using Edge.Packages;

namespace Edge.Families.Gla;

/// <summary>
/// One text encoder block's weights (<c>txt_encoder.sa.{i}</c>): LayerNorms, the fused <c>qkv</c> projection
/// with bias, the stored rotary frequencies and the SwiGLU.
/// </summary>
internal sealed class TextEncoderBlock
{
    private TextEncoderBlock(NormWeights norm1, float[] qkv, float[] qkvBias, float[] freqs, NormWeights norm2, SwiGlu cmix)
    {
        Norm1 = norm1;
        Qkv = qkv;
        QkvBias = qkvBias;
        RotaryFreqs = freqs;
        Norm2 = norm2;
        ChannelMix = cmix;
    }

    public NormWeights Norm1 { get; }

    /// <summary>tmix.qkv.weight [3d, d]: q, k, v rows in that order.</summary>
    public float[] Qkv { get; }

    public float[] QkvBias { get; }

    /// <summary>tmix.rotary.freqs [⌊⌊hd/2⌋/2⌋]: pair i of each head's first 2·len dims turns by pos·freqs[i].</summary>
    public float[] RotaryFreqs { get; }

    public NormWeights Norm2 { get; }
    public SwiGlu ChannelMix { get; }

    /// <summary>Takes the block's tensors; the rotary table's length follows from the head width.</summary>
    public static TextEncoderBlock Load(ModelWeights w, string prefix, GlaConfig c)
    {
        int d = c.DModel;
        int rotaryLength = c.TextHeadDim / 2 / 2;
        return new TextEncoderBlock(
            NormWeights.Load(w, $"{prefix}norm1", d, c.Eps),
            w.Take($"{prefix}tmix.qkv.weight", 3 * d, d), w.Take($"{prefix}tmix.qkv.bias", 3 * d),
            w.Take($"{prefix}tmix.rotary.freqs", rotaryLength),
            NormWeights.Load(w, $"{prefix}norm2", d, c.Eps),
            SwiGlu.Load(w, $"{prefix}cmix.", d));
    }
}
