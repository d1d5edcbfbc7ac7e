using Edge.Families.Gla;
using Edge.Streams;
using Edge.Speech.Codecs;

namespace Edge.Speech.Synthesis;

/// <summary>
/// What every speech component checks of the model and codec it is given: a gla-tts model on the CPU backend,
/// a codec with the model's codebooks, and a tokenizer. <c>who</c> starts each message ("speech",
/// "clone"); <c>needs</c> says what wants the model ("a SpeechSynthesizer needs").
/// </summary>
internal static class SpeechModelCheck
{
    public static (GlaTtsModel Model, GlaTokenizer Tokenizer) Check(EdgeModel model, ISpeechCodec codec, string who, string needs)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(codec);
        Fail.If(model.StepModel is not GlaTtsModel, EdgeErrorCode.UnsupportedFamily,
            $"{who}: {model.Package.Path} is a {model.Family} model on the {model.BackendName} backend; {needs} a gla-tts model on the CPU backend.");
        var gla = (GlaTtsModel)model.StepModel;
        var c = gla.Config;
        Fail.If(codec.Quantizers != c.NQuant || codec.CodebookSize != c.NCodebook, EdgeErrorCode.ShapeMismatch,
            $"{who}: the {codec.Kind} codec has {codec.Quantizers} codebook(s) of {codec.CodebookSize} codes, but model {model.Package.Path} predicts {c.NQuant} of {c.NCodebook}; use the codec the model was trained with.");
        var tokenizer = gla.Tokenizer ?? Fail.With<GlaTokenizer>(EdgeErrorCode.InvalidPackage,
            $"{who}: {model.Package.Path} has no tokenizer; a gla-tts package for speech names its tokenizer.json in model.json.");
        return (gla, tokenizer);
    }
}
