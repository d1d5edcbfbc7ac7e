using Edge.Packages;

namespace Edge.Families.Gla;

/// <summary>The gla-tts config (docs/package-format.md, model.json keys in snake_case), validated.</summary>
/// <param name="DModel">d_model.</param>
/// <param name="Heads">GLA heads (also the pos_net's).</param>
/// <param name="ExpandK">Key expansion.</param>
/// <param name="ExpandV">Value expansion.</param>
/// <param name="GateLowRankDim">Rank of the gate projection.</param>
/// <param name="GateLogitNormalizer">The gate's log-sigmoid is divided by this.</param>
/// <param name="UseShortConv">Short convolutions on q, k, v.</param>
/// <param name="ConvSize">Their taps.</param>
/// <param name="EncoderLayers">GLA blocks before the cross-attention.</param>
/// <param name="DecoderLayers">GLA blocks after it.</param>
/// <param name="DBlind">Width of the blind cross-attention's position network.</param>
/// <param name="PosType">Text position encoding.</param>
/// <param name="NQuant">Codebooks per audio step.</param>
/// <param name="NCodebook">Codes per codebook.</param>
/// <param name="TextVocab">Text token ids.</param>
/// <param name="TextLayers">Text encoder blocks.</param>
/// <param name="TextHeads">Text encoder heads.</param>
/// <param name="Eps">Every LayerNorm's and the GLA RMSNorm's eps.</param>
public sealed record GlaConfig(
    int DModel, int Heads, float ExpandK, float ExpandV, int GateLowRankDim, float GateLogitNormalizer, bool UseShortConv, int ConvSize,
    int EncoderLayers, int DecoderLayers, int DBlind, GlaPositionType PosType, int NQuant, int NCodebook, int TextVocab, int TextLayers,
    int TextHeads, float Eps)
{
    /// <summary>Ids below the codes: PAD 0, BOS 1, EOS 2; code c is id c + 3.</summary>
    public const int SpecialTokens = 3;

    /// <summary>Audio ids per quantizer: n_codebook + 3.</summary>
    public int AudioVocab => NCodebook + SpecialTokens;

    /// <summary>Shape of every encoder and decoder GLA layer (width d_model); a new object each call, so keep it out of step loops.</summary>
    public GlaLayerShape MainLayer => Shape(DModel);

    /// <summary>Shape of the cross-attention's pos_net GLA layer (width d_blind, same heads and options).</summary>
    public GlaLayerShape PosNetLayer => Shape(DBlind);

    /// <summary>Text encoder head width d_model / text_heads.</summary>
    public int TextHeadDim => DModel / TextHeads;

    /// <summary>Reads and validates the config; unknown keys are an error.</summary>
    public static GlaConfig Read(ModelConfig c)
    {
        int d = c.Int("d_model", 1, 1 << 14);
        int heads = c.Int("heads", 1, 1024);
        float ek = c.Float("expand_k", 1f);
        float ev = c.Float("expand_v", 2f);
        int rank = c.Int("gate_low_rank_dim", 16, 1, 1 << 14);
        float norm = c.Float("gate_logit_normalizer", 16f);
        bool conv = c.Bool("use_short_conv", true);
        int convSize = c.Int("conv_size", 4, 1, 64);
        int enc = c.Int("encoder_layers", 0, 256);
        int dec = c.Int("decoder_layers", 0, 256);
        int db = c.Int("d_blind", 1, 1 << 14);
        string pos = c.StringOr("pos_type", "convolutional", "convolutional", "sinusoidal");
        int nq = c.Int("n_quant", 1, 1, 64);
        int ncb = c.Int("n_codebook", 1, 1 << 20);
        int tv = c.Int("text_vocab", 3, 1 << 20);
        int tl = c.Int("text_layers", 0, 256);
        int th = c.Int("text_heads", 1, 1024);
        float eps = c.Float("eps", 1e-5f);
        c.EnsureNoUnknownKeys();

        var config = new GlaConfig(d, heads, ek, ev, rank, norm, conv, convSize, enc, dec, db,
            pos == "sinusoidal" ? GlaPositionType.Sinusoidal : GlaPositionType.Convolutional, nq, ncb, tv, tl, th, eps);
        config.Validate();
        return config;
    }

    private GlaLayerShape Shape(int width) =>
        new(width, Heads, (int)(width * ExpandK), (int)(width * ExpandV), GateLowRankDim, UseShortConv, ConvSize, GateLogitNormalizer, Eps);

    private void Validate()
    {
        const string where = "model.json config";
        Fail.If(!(ExpandK > 0) || !(ExpandV > 0), EdgeErrorCode.InvalidConfig, $"{where}: expand_k and expand_v must be positive.");
        Fail.If(!(GateLogitNormalizer > 0), EdgeErrorCode.InvalidConfig, $"{where}: gate_logit_normalizer must be positive.");
        Fail.If(!(Eps > 0), EdgeErrorCode.InvalidConfig, $"{where}: eps must be positive.");
        foreach (var (name, s) in new[] { ("d_model", MainLayer), ("d_blind", PosNetLayer) })
        {
            Fail.If(s.KeyDim < Heads || s.KeyDim % Heads != 0 || s.ValueDim % Heads != 0 || s.ValueDim < Heads, EdgeErrorCode.InvalidConfig,
                $"{where}: {name} {s.Width} gives key dim {s.KeyDim} and value dim {s.ValueDim}, which must both be positive multiples of heads {Heads}.");
            Fail.If(s.FeedForwardDim < 1, EdgeErrorCode.InvalidConfig, $"{where}: {name} {s.Width} is too small for a SwiGLU (needs ⌊4w/3⌋ ≥ 1).");
        }
        Fail.If(DModel % TextHeads != 0, EdgeErrorCode.InvalidConfig, $"{where}: d_model {DModel} must be a multiple of text_heads {TextHeads}.");
        Fail.If(PosType == GlaPositionType.Sinusoidal && DBlind % 2 != 0, EdgeErrorCode.InvalidConfig,
            $"{where}: sinusoidal positions need an even d_blind, got {DBlind}.");
    }
}
