namespace Edge.Onnx.Sessions;

/// <summary>
/// An ONNX model of N Identity nodes <c>x{k} → y{k}</c> over float32 tensors of fixed shapes. Run on the
/// model's execution provider with IOBinding, it copies state between host buffers and device tensors using
/// only ONNX Runtime's own transfers, whatever the device.
/// </summary>
internal static class IdentityGraph
{
    // Field numbers from onnx.proto (ModelProto, GraphProto, NodeProto, ValueInfoProto, TypeProto, TensorShapeProto).
    private const int ModelIrVersion = 1, ModelProducer = 2, ModelGraph = 7, ModelOpset = 8;
    private const int GraphNode = 1, GraphName = 2, GraphInput = 11, GraphOutput = 12;
    private const int NodeInput = 1, NodeOutput = 2, NodeName = 3, NodeOpType = 4;
    private const int ValueName = 1, ValueType = 2, TypeTensor = 1, TensorElemType = 1, TensorShape = 2, ShapeDim = 1, DimValue = 1;
    private const int OnnxFloat = 1;

    public static string InputName(int k) => $"x{k}";

    public static string OutputName(int k) => $"y{k}";

    public static byte[] Build(IReadOnlyList<long[]> shapes)
    {
        var w = new ProtoWriter();
        w.Varint(ModelIrVersion, 8);
        w.String(ModelProducer, "edge");
        w.Message(ModelGraph, g =>
        {
            for (int k = 0; k < shapes.Count; k++)
            {
                int i = k;
                g.Message(GraphNode, n =>
                {
                    n.String(NodeInput, InputName(i));
                    n.String(NodeOutput, OutputName(i));
                    n.String(NodeName, $"copy{i}");
                    n.String(NodeOpType, "Identity");
                });
            }
            g.String(GraphName, "edge_state_copy");
            for (int k = 0; k < shapes.Count; k++) ValueInfo(g, GraphInput, InputName(k), shapes[k]);
            for (int k = 0; k < shapes.Count; k++) ValueInfo(g, GraphOutput, OutputName(k), shapes[k]);
        });
        w.Message(ModelOpset, o => o.Varint(2, 13));
        return w.ToArray();
    }

    private static void ValueInfo(ProtoWriter g, int field, string name, long[] shape) => g.Message(field, v =>
    {
        v.String(ValueName, name);
        v.Message(ValueType, t => t.Message(TypeTensor, tt =>
        {
            tt.Varint(TensorElemType, OnnxFloat);
            tt.Message(TensorShape, s =>
            {
                foreach (long d in shape) s.Message(ShapeDim, dim => dim.Varint(DimValue, d));
            });
        }));
    });
}
