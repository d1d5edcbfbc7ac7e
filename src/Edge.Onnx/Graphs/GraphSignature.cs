using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Edge.Onnx.Graphs;

/// <summary>The inputs and outputs an ONNX graph declares, looked up by name with errors that name the graph, the tensor and what it has.</summary>
internal sealed class GraphSignature
{
    private readonly InferenceSession _session;
    private readonly string _where;

    public GraphSignature(InferenceSession session, string where)
    {
        _session = session;
        _where = where;
    }

    public IReadOnlyList<string> InputNames => _session.InputNames;

    public IReadOnlyList<string> OutputNames => _session.OutputNames;

    /// <summary>A float32 tensor input; <paramref name="role"/> says what Edge binds to it ("the step's frame", "state h").</summary>
    public NodeMetadata FloatInput(string name, string role) => RequireFloat(Lookup(_session.InputMetadata, name, "input", role), name, "input", role);

    /// <summary>A float32 tensor output.</summary>
    public NodeMetadata FloatOutput(string name, string role) => RequireFloat(Lookup(_session.OutputMetadata, name, "output", role), name, "output", role);

    /// <summary>Any tensor input.</summary>
    public NodeMetadata Input(string name, string role) => Lookup(_session.InputMetadata, name, "input", role);

    /// <summary>The declared shape with symbolic dimensions (a batch) set to 1.</summary>
    public static long[] Concrete(NodeMetadata m) => m.Dimensions.Select(d => d < 0 ? 1L : d).ToArray();

    /// <summary>"float32 [batch, 6]": the type and the declared shape, symbolic names included.</summary>
    public static string Describe(NodeMetadata m)
    {
        var dims = m.Dimensions.Select((d, i) => d >= 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : i < m.SymbolicDimensions.Length && m.SymbolicDimensions[i].Length > 0 ? m.SymbolicDimensions[i] : "?");
        return $"{TypeName(m.ElementDataType)} [{string.Join(", ", dims)}]";
    }

    public static string TypeName(TensorElementType t) => t switch
    {
        TensorElementType.Float => "float32",
        TensorElementType.Double => "float64",
        TensorElementType.Int64 => "int64",
        TensorElementType.Int32 => "int32",
        TensorElementType.Bool => "bool",
        TensorElementType.Float16 => "float16",
        _ => t.ToString().ToLowerInvariant(),
    };

    private NodeMetadata Lookup(IReadOnlyDictionary<string, NodeMetadata> all, string name, string kind, string role)
    {
        if (!all.TryGetValue(name, out var m))
            Fail.With(EdgeErrorCode.InvalidPackage,
                $"{_where}: the graph has no {kind} '{name}' ({role}); its {kind}s are {string.Join(", ", all.Keys)}.");
        Fail.If(!m.IsTensor, EdgeErrorCode.InvalidPackage, $"{_where}: {kind} '{name}' ({role}) is a {m.OnnxValueType}, not a tensor.");
        return m;
    }

    private NodeMetadata RequireFloat(NodeMetadata m, string name, string kind, string role)
    {
        Fail.If(m.ElementDataType != TensorElementType.Float, EdgeErrorCode.InvalidPackage,
            $"{_where}: {kind} '{name}' ({role}) is {Describe(m)}; Edge binds float32 there. Export it as float32.");
        return m;
    }
}
