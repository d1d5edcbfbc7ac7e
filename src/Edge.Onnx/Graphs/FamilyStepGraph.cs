using Edge.Streams;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Onnx.Graphs;

/// <summary>
/// The step graph of a family Edge implements (models/README.md): input <c>input [1,F]</c> and one input per
/// state entry named like the entry; output <c>output [1,O]</c> and <c>&lt;name&gt;_out</c> per entry.
/// </summary>
internal static class FamilyStepGraph
{
    public const string InputName = "input";
    public const string OutputName = "output";
    public const string OutputSuffix = "_out";

    /// <summary>Maps the layout onto the graph, checking every name, type and element count against the family.</summary>
    /// <param name="session">The graph's session.</param>
    /// <param name="where">The graph's path, for messages.</param>
    /// <param name="layout">The family's state layout.</param>
    /// <param name="inputSize">The step's input size.</param>
    /// <param name="outputSize">The step's output size.</param>
    /// <param name="conditioning">Further float32 inputs the family's session binds itself (gla-tts: the text tensors); none by default.</param>
    public static StepGraph Build(InferenceSession session, string where, StateLayout layout, int inputSize, int outputSize,
        IReadOnlyCollection<string>? conditioning = null)
    {
        var sig = new GraphSignature(session, where);
        var input = sig.FloatInput(InputName, "the step's frame");
        var inputShape = GraphSignature.Concrete(input);
        CheckCount(where, "input", InputName, input, inputShape, inputSize, $"[1, {inputSize}]");
        var output = sig.FloatOutput(OutputName, "the step's output");
        var outputShape = GraphSignature.Concrete(output);
        CheckCount(where, "output", OutputName, output, outputShape, outputSize, $"[1, {outputSize}]");

        var state = new List<StateBinding>();
        foreach (var e in layout.Entries)
        {
            var inMeta = sig.FloatInput(e.Name, $"state {e.Name}");
            var shape = GraphSignature.Concrete(inMeta);
            CheckCount(where, "input", e.Name, inMeta, shape, e.Length, Fail.Shape(e.Shape));
            string outName = e.Name + OutputSuffix;
            var outMeta = sig.FloatOutput(outName, $"state {e.Name} after the step");
            CheckCount(where, "output", outName, outMeta, GraphSignature.Concrete(outMeta), e.Length, Fail.Shape(e.Shape));
            state.Add(new StateBinding(e, e.Name, outName, shape));
        }
        var known = new HashSet<string>(layout.Entries.Select(e => e.Name)) { InputName };
        foreach (var c in conditioning ?? [])
        {
            sig.FloatInput(c, "a conditioning input the family binds");
            known.Add(c);
        }
        var extra = sig.InputNames.Where(n => !known.Contains(n)).ToList();
        Fail.If(extra.Count > 0, EdgeErrorCode.InvalidPackage,
            $"{where}: the graph has inputs the family does not feed: {string.Join(", ", extra)}. A step graph takes 'input' and the state entries {string.Join(", ", layout.Entries.Select(e => e.Name))}.");
        return new StepGraph(InputName, inputShape, OutputName, outputShape, layout, state, []);
    }

    private static void CheckCount(string where, string kind, string name, NodeMetadata m, long[] shape, int expected, string expectedShape)
        => Fail.If(StepGraph.Elements(shape) != expected, EdgeErrorCode.ShapeMismatch,
            $"{where}: {kind} '{name}' is {GraphSignature.Describe(m)} but the model's config implies {expectedShape}. Re-export step.onnx from this package's weights.");
}
