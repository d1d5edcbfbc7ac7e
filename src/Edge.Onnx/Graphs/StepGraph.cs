using Edge.Streams;

namespace Edge.Onnx.Graphs;

/// <summary>
/// How one step maps onto an ONNX graph: the frame input and output, the state pairs (input, output) in
/// layout order, and the constant inputs. Built and validated once per model; sessions bind it.
/// </summary>
internal sealed class StepGraph
{
    public StepGraph(string inputName, long[] inputShape, string outputName, long[] outputShape,
        StateLayout layout, IReadOnlyList<StateBinding> state, IReadOnlyList<ConstantInput> constants)
    {
        InputName = inputName;
        InputShape = inputShape;
        OutputName = outputName;
        OutputShape = outputShape;
        Layout = layout;
        State = state;
        Constants = constants;
    }

    public string InputName { get; }

    /// <summary>The frame input's shape, [1, F] or another shape of F elements.</summary>
    public long[] InputShape { get; }

    public int InputSize => Elements(InputShape);

    public string OutputName { get; }

    public long[] OutputShape { get; }

    public int OutputSize => Elements(OutputShape);

    public StateLayout Layout { get; }

    public IReadOnlyList<StateBinding> State { get; }

    public IReadOnlyList<ConstantInput> Constants { get; }

    public static int Elements(ReadOnlySpan<long> shape)
    {
        long n = 1;
        foreach (long d in shape) n *= d;
        return checked((int)n);
    }
}
