using Edge.Backends;
using Edge.Packages;

namespace Edge.Families.Gla;

/// <summary>
/// The gla-tts family (Lina-Speech): text-conditioned gated-linear-attention decoding of audio tokens (see
/// README.md). On a backend that runs the decoder step elsewhere, each stream's text and voice come from
/// <see cref="GlaTextConditioner"/> through the step graph's <c>text_k</c>, <c>text_v</c>, <c>text_p</c> inputs.
/// </summary>
public sealed class GlaTtsFamily : IModelFamily
{
    /// <summary>The "family" value in model.json.</summary>
    public const string FamilyName = "gla-tts";

    /// <summary>The top-level model.json key naming the tokenizer file.</summary>
    public const string TokenizerKey = "tokenizer";

    /// <summary>The shared instance.</summary>
    public static GlaTtsFamily Instance { get; } = new();

    /// <inheritdoc />
    public string Name => FamilyName;

    /// <inheritdoc />
    /// <remarks>"tokenizer" (a file), "codec" (a folder) and "voices" (a folder of voice files).</remarks>
    public IReadOnlyList<string> ManifestKeys => [TokenizerKey, "codec", "voices"];

    /// <inheritdoc />
    public StepDescription Describe(ModelPackage package)
    {
        var text = GlaTextConditioner.Load(package);
        var c = text.Config;
        var layout = GlaTtsModel.LayoutFor(c);
        string sha = package.Sha256;
        return new StepDescription
        {
            InputSize = c.NQuant,
            OutputSize = c.NQuant * c.AudioVocab,
            State = layout,
            InitialState = new byte[layout.Bytes],
            InputVocabulary = c.AudioVocab,
            ConditioningInputs = GlaStreamConditioning.Inputs,
            CreateConditioning = () => new GlaStreamConditioning(text, sha, layout),
        };
    }

    /// <inheritdoc />
    public IStepModel CreateCpuModel(ModelPackage package) => GlaTtsModel.Create(package);

    /// <inheritdoc />
    public IStepModel CreateCpuModel(ModelPackage package, WeightPrecision? precision) => GlaTtsModel.Create(package, precision: precision);

    /// <inheritdoc />
    public IStepModel CreateCpuModel(ModelPackage package, WeightPrecision? precision, int? threads) => GlaTtsModel.Create(package, precision: precision, threads: threads);
}
