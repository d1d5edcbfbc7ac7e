using Edge.Packages;

namespace Edge.Families.Gla;

/// <summary>
/// The per-utterance side of gla-tts, shared by both backends: the tokenizer, the text encoder and the
/// cross-attention's keys, values and positions computed once per text. Loading it reads only the text-side
/// tensors, so a stream whose decoder runs elsewhere (an ONNX graph) keeps no decoder weights.
/// </summary>
public sealed class GlaTextConditioner
{
    internal GlaTextConditioner(GlaConfig config, string name, GlaTokenizer? tokenizer, float[] embed, TextEncoderBlock[] blocks, BlindCrossAttention cross)
    {
        Fail.If(tokenizer is not null && tokenizer.VocabularySize > config.TextVocab, EdgeErrorCode.InvalidPackage,
            $"{name}: the tokenizer has {tokenizer?.VocabularySize} ids but text_vocab is {config.TextVocab}.");
        Config = config;
        Name = name;
        Tokenizer = tokenizer;
        Embed = embed;
        Blocks = blocks;
        Cross = cross;
    }

    /// <summary>Loads the text side of a gla-tts package: config, tokenizer (when named) and the text-side weights only.</summary>
    public static GlaTextConditioner Load(ModelPackage package)
    {
        var config = GlaConfig.Read(package.CreateConfigReader());
        var tokenizer = LoadTokenizer(package);
        using var w = package.OpenWeights();
        return Load(config, w, tokenizer, package.Path);
    }

    internal static GlaTokenizer? LoadTokenizer(ModelPackage package)
        => package.GetFileName(GlaTtsFamily.TokenizerKey) is { } tf ? GlaTokenizer.Load(package.ReadAllBytes(tf), $"{package.Path}/{tf}") : null;

    internal static GlaTextConditioner Load(GlaConfig c, ModelWeights w, GlaTokenizer? tokenizer, string name)
    {
        var blocks = new TextEncoderBlock[c.TextLayers];
        for (int i = 0; i < blocks.Length; i++) blocks[i] = TextEncoderBlock.Load(w, $"txt_encoder.sa.{i}.", c);
        var cross = BlindCrossAttention.Load(w, "attentive_rnn.cross_att.", c);
        return new GlaTextConditioner(c, name, tokenizer, w.Take("txt_embed.weight", c.TextVocab, c.DModel), blocks, cross);
    }

    /// <summary>The validated config.</summary>
    public GlaConfig Config { get; }

    /// <summary>The package path, for messages.</summary>
    public string Name { get; }

    /// <summary>The text tokenizer, when the package has one.</summary>
    public GlaTokenizer? Tokenizer { get; }

    /// <summary>Most text tokens the cross-attention can place.</summary>
    public int MaxTextTokens => Cross.Positions.MaxLength;

    internal float[] Embed { get; }
    internal TextEncoderBlock[] Blocks { get; }
    internal BlindCrossAttention Cross { get; }

    /// <summary>Tokenizes <c>"[BOS]" + text + "[EOS]"</c> with the package's tokenizer.</summary>
    public int[] Tokenize(string text)
    {
        var tokenizer = Tokenizer
            ?? throw new EdgeException(EdgeErrorCode.InvalidPackage, $"{Name}: the package has no tokenizer.json; give token ids (SetTextIds) or add the tokenizer.");
        return tokenizer.Encode(text);
    }

    /// <summary>A workspace for up to <paramref name="capacity"/> text tokens (clamped to what the model can place).</summary>
    internal TextWorkspace CreateWorkspace(int capacity) => new(Config, Math.Clamp(capacity, 1, MaxTextTokens));

    /// <summary>Validates <paramref name="ids"/>, grows <paramref name="ws"/> if needed, encodes the text and prepares K, V, P.</summary>
    internal void Encode(ReadOnlySpan<int> ids, ref TextWorkspace ws)
    {
        int max = MaxTextTokens;
        Fail.If(ids.Length == 0, EdgeErrorCode.InvalidInput, "text: no tokens; a text is at least [BOS] [EOS].");
        Fail.If(ids.Length > max, EdgeErrorCode.InvalidInput,
            $"text: {ids.Length} tokens is more than the {max} positions this model's cross-attention can place; split the text into shorter sentences.");
        for (int i = 0; i < ids.Length; i++)
            Fail.If((uint)ids[i] >= (uint)Config.TextVocab, EdgeErrorCode.InvalidInput, $"text: token {i} is id {ids[i]}, outside [0, {Config.TextVocab}).");
        if (ids.Length > ws.Capacity) ws = new TextWorkspace(Config, Math.Min(max, Math.Max(ids.Length, 2 * ws.Capacity)));
        ws.Length = 0;
        TextEncoder.Encode(Config, Embed, Blocks, ids, ws);
        Cross.Prepare(ws, ids.Length);
        ws.Length = ids.Length;
    }
}
