using Edge.Kernels;
using Edge.Backends;
using Edge.Packages;
using Edge.Streams;

namespace Edge.Families.Gla;

/// <summary>
/// The gla-tts family (Lina-Speech) on the CPU backend: weights loaded once and shared by every stream.
/// A step maps <c>n_quant</c> audio token ids to <c>n_quant × (n_codebook + 3)</c> logits, conditioned on
/// the stream's text (<see cref="ITextConditioning"/>) and starting from its voice (<see cref="IVoiceConditioning"/>).
/// </summary>
public sealed class GlaTtsModel : IStepModel, ITokenInput
{
    private GlaTtsModel(GlaConfig config, GlaTtsOptions options, string sha256, string name, GlaTokenizer? tokenizer,
        float[] textEmbed, TextEncoderBlock[] textBlocks, MixingBlock[] encoder, MixingBlock[] decoder, BlindCrossAttention cross,
        float[] rvqEmbed, float[] logitsHead)
    {
        Config = config;
        Options = options;
        Sha256 = sha256;
        Name = name;
        Tokenizer = tokenizer;
        TextEmbed = textEmbed;
        TextBlocks = textBlocks;
        Encoder = encoder;
        Decoder = decoder;
        Cross = cross;
        RvqEmbed = rvqEmbed;
        LogitsHead = PackedMatrix.Pack(logitsHead, config.NQuant * config.AudioVocab, config.DModel);
        var entries = new List<(string, int[])>();
        for (int i = 0; i < encoder.Length; i++) entries.AddRange(config.MainLayer.StateEntries($"encoder.{i}"));
        for (int i = 0; i < decoder.Length; i++) entries.AddRange(config.MainLayer.StateEntries($"decoder.{i}"));
        entries.AddRange(config.PosNetLayer.StateEntries("pos_net"));
        State = new StateLayout(entries);
    }

    /// <summary>Builds the model from a package with family gla-tts (its tokenizer.json, when named, is loaded too).</summary>
    public static GlaTtsModel Create(ModelPackage package, GlaTtsOptions? options = null)
    {
        var config = GlaConfig.Read(package.CreateConfigReader());
        GlaTokenizer? tokenizer = package.TokenizerFile is { } tf
            ? GlaTokenizer.Load(package.ReadAllBytes(tf), $"{package.Path}/{tf}")
            : null;
        using var weights = package.OpenWeights();
        return Create(config, weights, tokenizer, package.Sha256, package.Path, options);
    }

    /// <summary>Builds the model from a validated config and its weights (every tensor must be used).</summary>
    internal static GlaTtsModel Create(GlaConfig c, ModelWeights w, GlaTokenizer? tokenizer, string sha256, string name, GlaTtsOptions? options)
    {
        Fail.If(tokenizer is not null && tokenizer.VocabularySize > c.TextVocab, EdgeErrorCode.InvalidPackage,
            $"{name}: the tokenizer has {tokenizer?.VocabularySize} ids but text_vocab is {c.TextVocab}.");
        int d = c.DModel;
        var textBlocks = new TextEncoderBlock[c.TextLayers];
        for (int i = 0; i < textBlocks.Length; i++) textBlocks[i] = TextEncoderBlock.Load(w, $"txt_encoder.sa.{i}.", c);
        var encoder = new MixingBlock[c.EncoderLayers];
        for (int i = 0; i < encoder.Length; i++) encoder[i] = MixingBlock.Load(w, $"attentive_rnn.encoder.{i}.", c.MainLayer);
        var decoder = new MixingBlock[c.DecoderLayers];
        for (int i = 0; i < decoder.Length; i++) decoder[i] = MixingBlock.Load(w, $"attentive_rnn.decoder.{i}.", c.MainLayer);
        var cross = BlindCrossAttention.Load(w, "attentive_rnn.cross_att.", c);
        var model = new GlaTtsModel(c, options ?? new GlaTtsOptions(), sha256, name, tokenizer,
            w.Take("txt_embed.weight", c.TextVocab, d), textBlocks, encoder, decoder, cross,
            w.Take("rvq_embed.weight", c.NQuant, c.AudioVocab, d), w.Take("logits_head.weight", c.NQuant, c.AudioVocab, d));
        w.EnsureAllTaken();
        return model;
    }

    /// <summary>The validated config.</summary>
    public GlaConfig Config { get; }

    /// <summary>Buffer sizing.</summary>
    public GlaTtsOptions Options { get; }

    /// <summary>The model's identity: voices saved by Edge are bound to it.</summary>
    public string Sha256 { get; }

    /// <summary>The package path, for messages.</summary>
    public string Name { get; }

    /// <summary>The text tokenizer, when the package has one.</summary>
    public GlaTokenizer? Tokenizer { get; }

    internal float[] TextEmbed { get; }
    internal TextEncoderBlock[] TextBlocks { get; }
    internal MixingBlock[] Encoder { get; }
    internal MixingBlock[] Decoder { get; }
    internal BlindCrossAttention Cross { get; }
    internal float[] RvqEmbed { get; }
    internal PackedMatrix LogitsHead { get; }

    /// <summary>Floats of weights one decoder step reads: every block, the cross-attention's query side and
    /// pos_net, the logits head and one embedding row per quantizer (text-dependent K, V, P and the state excluded).</summary>
    public long StepWeightFloats =>
        Encoder.Sum(b => b.WeightFloats) + Decoder.Sum(b => b.WeightFloats) + Cross.StepWeightFloats
        + (long)LogitsHead.Rows * LogitsHead.Cols + (long)Config.NQuant * Config.DModel;

    /// <summary>All parameters of the model, text encoder and tables included.</summary>
    public long ParameterCount =>
        StepWeightFloats - (long)Config.NQuant * Config.DModel + RvqEmbed.LongLength + TextEmbed.LongLength
        + TextBlocks.Sum(b => b.Qkv.LongLength + b.QkvBias.Length + b.RotaryFreqs.Length + 4L * Config.DModel + b.ChannelMix.WeightFloats)
        + Cross.K.LongLength + Cross.KBias.Length + Cross.V.LongLength + Cross.VBias.Length + 4L * Config.DModel
        + (Config.PosType == GlaPositionType.Convolutional ? (TextPositions.LearnedRows + TextPositions.Kernel + 1L) * Config.DBlind : 0);

    /// <inheritdoc />
    public int InputSize => Config.NQuant;

    /// <inheritdoc />
    public int OutputSize => Config.NQuant * Config.AudioVocab;

    /// <inheritdoc />
    public int InputVocabulary => Config.AudioVocab;

    /// <inheritdoc />
    public StateLayout State { get; }

    /// <inheritdoc />
    public string BackendName => "cpu";

    /// <inheritdoc />
    public IStepSession CreateSession() => new GlaTtsSession(this);

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
