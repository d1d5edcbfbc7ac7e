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
public sealed partial class GlaTtsModel : IStepModel, IPrecisionReport, IThreadReport, IBatchStepModel
{
    private GlaTtsModel(GlaConfig config, GlaTtsOptions options, string sha256, GlaTextConditioner text,
        MixingBlock[] encoder, MixingBlock[] decoder, float[] rvqEmbed, float[] logitsHead, WeightPrecision precision)
    {
        Config = config;
        Precision = precision;
        Options = options;
        Sha256 = sha256;
        Text = text;
        Encoder = encoder;
        Decoder = decoder;
        RvqEmbed = rvqEmbed;
        LogitsHead = WeightPacking.Pack(logitsHead, config.NQuant * config.AudioVocab, config.DModel, precision, "logits_head.weight");
        State = LayoutFor(config);
    }

    // The same weights stepped on another number of threads (WithThreads).
    private GlaTtsModel(GlaTtsModel m, int threads)
    {
        Config = m.Config;
        Precision = m.Precision;
        Options = m.Options;
        Sha256 = m.Sha256;
        Text = m.Text;
        Encoder = m.Encoder;
        Decoder = m.Decoder;
        RvqEmbed = m.RvqEmbed;
        LogitsHead = m.LogitsHead;
        State = m.State;
        SetThreads(threads);
    }

    private void SetThreads(int threads)
    {
        if (threads < 1 || threads > KernelThreads.MaxThreads)
            throw new EdgeException(EdgeErrorCode.InvalidArgument, $"{Name}: {threads} threads asked for; give 1 to {KernelThreads.MaxThreads}.");
        Threads = threads;
        KernelThreads = threads > 1 ? new KernelThreads(threads) : null;
    }

    /// <summary>The state layout of a config: each encoder then decoder GLA layer's rings and S, then the pos_net's.</summary>
    public static StateLayout LayoutFor(GlaConfig config)
    {
        var entries = new List<(string, int[])>();
        for (int i = 0; i < config.EncoderLayers; i++) entries.AddRange(config.MainLayer.StateEntries($"encoder.{i}"));
        for (int i = 0; i < config.DecoderLayers; i++) entries.AddRange(config.MainLayer.StateEntries($"decoder.{i}"));
        entries.AddRange(config.PosNetLayer.StateEntries("pos_net"));
        return new StateLayout(entries);
    }

    /// <summary>
    /// Builds the model from a package with family gla-tts (its tokenizer.json, when named, is loaded too), the
    /// decoder step's matrices kept at <paramref name="precision"/> (null: as stored; the text encoder, run once
    /// per utterance, stays fp32).
    /// </summary>
    /// <param name="package">A package of family gla-tts.</param>
    /// <param name="options">Buffer sizing.</param>
    /// <param name="precision">How the decoder's matrices are kept (null: as stored).</param>
    /// <param name="threads">Threads a step's products are split across (null: <see cref="KernelThreads.Automatic"/> of the step's weight bytes).</param>
    public static GlaTtsModel Create(ModelPackage package, GlaTtsOptions? options = null, WeightPrecision? precision = null, int? threads = null)
    {
        var config = GlaConfig.Read(package.CreateConfigReader());
        var tokenizer = GlaTextConditioner.LoadTokenizer(package);
        using var weights = package.OpenWeights();
        return Create(config, weights, tokenizer, package.Sha256, package.Path, options, precision ?? package.StoredPrecision, threads);
    }

    /// <summary>Builds the model from a validated config and its weights (every tensor must be used).</summary>
    public static GlaTtsModel Create(GlaConfig c, ModelWeights w, GlaTokenizer? tokenizer, string sha256, string name, GlaTtsOptions? options,
        WeightPrecision precision = WeightPrecision.Fp32, int? threads = null)
    {
        var text = GlaTextConditioner.Load(c, w, tokenizer, name);
        var encoder = new MixingBlock[c.EncoderLayers];
        for (int i = 0; i < encoder.Length; i++) encoder[i] = MixingBlock.Load(w, $"attentive_rnn.encoder.{i}.", c.MainLayer, precision);
        var decoder = new MixingBlock[c.DecoderLayers];
        for (int i = 0; i < decoder.Length; i++) decoder[i] = MixingBlock.Load(w, $"attentive_rnn.decoder.{i}.", c.MainLayer, precision);
        var model = new GlaTtsModel(c, options ?? new GlaTtsOptions(), sha256, text, encoder, decoder,
            w.Take("rvq_embed.weight", c.NQuant, c.AudioVocab, c.DModel), w.Take("logits_head.weight", c.NQuant, c.AudioVocab, c.DModel), precision);
        w.EnsureAllTaken();
        model.SetThreads(threads ?? KernelThreads.Automatic(model.StepWeightBytes));
        return model;
    }

    /// <summary>The validated config.</summary>
    public GlaConfig Config { get; }

    /// <inheritdoc />
    public WeightPrecision Precision { get; }

    /// <inheritdoc />
    public int Threads { get; private set; } = 1;

    /// <inheritdoc />
    public long WorkerAllocatedBytes => KernelThreads?.WorkerAllocatedBytes ?? 0;

    /// <summary>The pool a step's products are split across; null on one thread.</summary>
    internal KernelThreads? KernelThreads { get; private set; }

    /// <summary>
    /// The same weights (shared, not copied) stepped on <paramref name="threads"/> threads, with a pool of its
    /// own: for comparing thread counts on one model. Dispose it as any model; this one is unaffected.
    /// </summary>
    public GlaTtsModel WithThreads(int threads) => new(this, threads);

    /// <summary>Buffer sizing.</summary>
    public GlaTtsOptions Options { get; }

    /// <summary>The model's identity: voices saved by Edge are bound to it.</summary>
    public string Sha256 { get; }

    /// <summary>The package path, for messages.</summary>
    public string Name => Text.Name;

    /// <summary>The text tokenizer, when the package has one.</summary>
    public GlaTokenizer? Tokenizer => Text.Tokenizer;

    /// <summary>The per-utterance side: tokenizer, text encoder, cross-attention K, V, P.</summary>
    public GlaTextConditioner Text { get; }

    internal float[] TextEmbed => Text.Embed;
    internal TextEncoderBlock[] TextBlocks => Text.Blocks;
    internal MixingBlock[] Encoder { get; }
    internal MixingBlock[] Decoder { get; }
    internal BlindCrossAttention Cross => Text.Cross;
    internal float[] RvqEmbed { get; }
    internal PackedMatrix LogitsHead { get; }

    /// <summary>Floats of weights one decoder step reads: every block, the cross-attention's query side and
    /// pos_net, the logits head and one embedding row per quantizer (text-dependent K, V, P and the state excluded).</summary>
    public long StepWeightFloats =>
        Encoder.Sum(b => b.WeightFloats) + Decoder.Sum(b => b.WeightFloats) + Cross.StepWeightFloats
        + (long)LogitsHead.Rows * LogitsHead.Cols + (long)Config.NQuant * Config.DModel;

    /// <summary>Bytes of weights one decoder step reads (the same parts as <see cref="StepWeightFloats"/>), at the precision the matrices are kept.</summary>
    public long StepWeightBytes =>
        Encoder.Sum(b => b.WeightBytes) + Decoder.Sum(b => b.WeightBytes) + 4 * Cross.StepWeightFloats
        + LogitsHead.StoredBytes + 4L * Config.NQuant * Config.DModel;

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
    /// <remarks>The products of all streams run together on this model's threads; each stream keeps its own state and text.</remarks>
    public IBatchStep CreateBatchStep(int capacity) => new GlaTtsBatchStep(this, capacity);

    /// <inheritdoc />
    /// <remarks>Stops the worker threads (later steps run on the stepping thread alone).</remarks>
    public void Dispose() => KernelThreads?.Dispose();
}
