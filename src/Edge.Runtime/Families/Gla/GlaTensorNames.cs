namespace Edge.Families.Gla;

/// <summary>
/// Every tensor a gla-tts package holds for a config, named and shaped as in
/// models/lina-reference/README.md (Lina-Speech's state_dict keys): what a tool writing packages must produce.
/// </summary>
public static class GlaTensorNames
{
    /// <summary>(name, shape) of every tensor, in Lina's registration order.</summary>
    public static IEnumerable<(string Name, int[] Shape)> For(GlaConfig c)
    {
        int d = c.DModel, hd = c.TextHeadDim, L = c.AudioVocab;
        for (int i = 0; i < c.TextLayers; i++)
        {
            string p = $"txt_encoder.sa.{i}.";
            yield return ($"{p}tmix.qkv.weight", [3 * d, d]);
            yield return ($"{p}tmix.qkv.bias", [3 * d]);
            yield return ($"{p}tmix.rotary.freqs", [hd / 2 / 2]);
            foreach (var t in Block(p, d, null)) yield return t;
        }
        for (int i = 0; i < c.EncoderLayers; i++) foreach (var t in Block($"attentive_rnn.encoder.{i}.", d, c.MainLayer)) yield return t;
        for (int i = 0; i < c.DecoderLayers; i++) foreach (var t in Block($"attentive_rnn.decoder.{i}.", d, c.MainLayer)) yield return t;
        string x = "attentive_rnn.cross_att.";
        foreach (var n in new[] { "q", "k", "v" })
        {
            yield return ($"{x}{n}.weight", [d, d]);
            yield return ($"{x}{n}.bias", [d]);
        }
        foreach (var t in Block($"{x}pos_net.", c.DBlind, c.PosNetLayer)) yield return t;
        if (c.PosType == GlaPositionType.Convolutional)
        {
            yield return ($"{x}pos_embed.embed.weight", [TextPositions.LearnedRows, c.DBlind]);
            yield return ($"{x}pos_embed.dw_conv.weight", [c.DBlind, 1, TextPositions.Kernel]);
            yield return ($"{x}pos_embed.dw_conv.bias", [c.DBlind]);
        }
        foreach (var n in new[] { "ln_q", "ln_k", "ln_v" })
        {
            yield return ($"{x}{n}.weight", [d]);
            yield return ($"{x}{n}.bias", [d]);
        }
        yield return ("txt_embed.weight", [c.TextVocab, d]);
        yield return ("rvq_embed.weight", [c.NQuant, L, d]);
        yield return ("logits_head.weight", [c.NQuant, L, d]);
    }

    private static IEnumerable<(string, int[])> Block(string p, int w, GlaLayerShape? gla)
    {
        if (gla is { } s)
        {
            yield return ($"{p}tmix.q_proj.weight", [s.KeyDim, w]);
            yield return ($"{p}tmix.k_proj.weight", [s.KeyDim, w]);
            yield return ($"{p}tmix.v_proj.weight", [s.ValueDim, w]);
            yield return ($"{p}tmix.g_proj.weight", [s.ValueDim, w]);
            yield return ($"{p}tmix.gk_proj.0.weight", [s.GateRank, w]);
            yield return ($"{p}tmix.gk_proj.1.weight", [s.KeyDim, s.GateRank]);
            yield return ($"{p}tmix.gk_proj.1.bias", [s.KeyDim]);
            yield return ($"{p}tmix.o_proj.weight", [w, s.ValueDim]);
            if (s.UseShortConv)
            {
                yield return ($"{p}tmix.q_conv1d.weight", [s.KeyDim, 1, s.ConvSize]);
                yield return ($"{p}tmix.k_conv1d.weight", [s.KeyDim, 1, s.ConvSize]);
                yield return ($"{p}tmix.v_conv1d.weight", [s.ValueDim, 1, s.ConvSize]);
            }
            yield return ($"{p}tmix.g_norm_swish_gate.weight", [s.HeadValueDim]);
        }
        int f = w * 4 / 3;
        yield return ($"{p}cmix.p_in.weight", [2 * f, w]);
        yield return ($"{p}cmix.p_in.bias", [2 * f]);
        yield return ($"{p}cmix.p_out.weight", [w, f]);
        yield return ($"{p}cmix.p_out.bias", [w]);
        foreach (var n in new[] { "norm1", "norm2" })
        {
            yield return ($"{p}{n}.weight", [w]);
            yield return ($"{p}{n}.bias", [w]);
        }
    }
}
