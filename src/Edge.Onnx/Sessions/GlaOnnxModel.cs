using Edge.Backends;
using Edge.Families.Gla;
using Edge.Onnx.Graphs;
using Edge.Streams;

namespace Edge.Onnx.Sessions;

/// <summary>
/// gla-tts (Lina-Speech) on the ONNX backend: the package's step.onnx runs the decoder step, while the text
/// encoder and the cross-attention's per-utterance K, V and P stay with the CPU family (<see cref="GlaTtsModel"/>,
/// kept loaded for that) and are bound to the graph's <c>text_k</c>, <c>text_v</c>, <c>text_p</c> inputs when
/// a stream's text is set. Streams expose <see cref="ITextConditioning"/> and <see cref="IVoiceConditioning"/>
/// as the CPU family's do.
/// </summary>
internal sealed class GlaOnnxModel : IStepModel, ITokenInput
{
    /// <summary>The graph inputs the session binds on SetText: K [J, d_model], V [J, d_model], P [J, d_blind].</summary>
    public static readonly IReadOnlyList<string> TextInputs = ["text_k", "text_v", "text_p"];

    public GlaOnnxModel(OnnxStepModel step, GlaTtsModel cpu)
    {
        Step = step;
        Cpu = cpu;
    }

    /// <summary>The decoder step graph and its bindings.</summary>
    public OnnxStepModel Step { get; }

    /// <summary>The CPU family: text encoder, cross-attention preparation, voices.</summary>
    public GlaTtsModel Cpu { get; }

    public int InputSize => Step.InputSize;

    public int OutputSize => Step.OutputSize;

    public StateLayout State => Step.State;

    public string BackendName => Step.BackendName;

    public int InputVocabulary => Cpu.InputVocabulary;

    public IStepSession CreateSession() => new GlaOnnxSession(this);

    public void Dispose()
    {
        Step.Dispose();
        Cpu.Dispose();
    }

    /// <summary>Builds the step graph for a gla-tts package: the family's layout plus the three text inputs.</summary>
    internal static StepGraph BuildGraph(Microsoft.ML.OnnxRuntime.InferenceSession session, string where, GlaTtsModel cpu)
        => FamilyStepGraph.Build(session, where, cpu.State, cpu.InputSize, cpu.OutputSize, [.. TextInputs]);
}
