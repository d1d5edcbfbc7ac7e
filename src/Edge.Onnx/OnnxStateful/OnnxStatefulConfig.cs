using System.Text.Json;
using Edge.Onnx.Graphs;
using Edge.Packages;

namespace Edge.Onnx.OnnxStateful;

/// <summary>
/// The onnx-stateful config (docs/package-format.md, docs/families/onnx-stateful.md): which graph input takes the frame, which output is the step's
/// output, the state pairs (input, output), and scalar constants fed every step. Unknown keys are an error,
/// at every level.
/// </summary>
/// <param name="Input">The graph input that takes the step's frame.</param>
/// <param name="Output">The graph output returned as the step's output.</param>
/// <param name="State">State pairs: the graph input that takes a state tensor and the output that returns its next value.</param>
/// <param name="Constants">Scalar inputs fed unchanged every step.</param>
/// <param name="InputShape">The frame's shape, when the graph leaves more than the batch dimension symbolic; null takes the graph's (symbolic dimensions as 1).</param>
internal sealed record OnnxStatefulConfig(string Input, string Output, IReadOnlyList<StatePair> State, IReadOnlyList<ConstantSpec> Constants, long[]? InputShape)
{
    /// <summary>Reads and validates the config.</summary>
    public static OnnxStatefulConfig Read(ModelConfig c, string where)
    {
        string input = c.StringOr("input", "input");
        string output = c.StringOr("output", "output");
        var state = ReadState(c.Element("state"), where);
        var constants = c.Has("constants") ? ReadConstants(c.Element("constants"), where) : [];
        long[]? shape = c.Has("input_shape") ? ReadShape(c.Element("input_shape"), where) : null;
        c.EnsureNoUnknownKeys();

        var names = new List<string> { input };
        names.AddRange(state.Select(s => s.Input));
        names.AddRange(constants.Select(k => k.Name));
        var twice = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        Fail.If(twice is not null, EdgeErrorCode.InvalidConfig, $"{where}: graph input '{twice?.Key}' is named twice (among input, state inputs and constants); each input is fed once.");
        var outs = state.Select(s => s.Output).Append(output).GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        Fail.If(outs is not null, EdgeErrorCode.InvalidConfig, $"{where}: graph output '{outs?.Key}' is named twice (among output and state outputs).");
        return new OnnxStatefulConfig(input, output, state, constants, shape);
    }

    private static List<StatePair> ReadState(JsonElement v, string where)
    {
        Fail.If(v.ValueKind != JsonValueKind.Array || v.GetArrayLength() == 0, EdgeErrorCode.InvalidConfig,
            $"{where}: 'state' must be a non-empty array of {{\"input\": \"…\", \"output\": \"…\"}} pairs naming the graph's state inputs and outputs.");
        var list = new List<StatePair>();
        int i = 0;
        foreach (var e in v.EnumerateArray())
        {
            var pair = new ModelConfig(e, $"{where}: state[{i++}]");
            list.Add(new StatePair(pair.String("input"), pair.String("output")));
            pair.EnsureNoUnknownKeys();
        }
        return list;
    }

    private static List<ConstantSpec> ReadConstants(JsonElement v, string where)
    {
        Fail.If(v.ValueKind != JsonValueKind.Object, EdgeErrorCode.InvalidConfig,
            $"{where}: 'constants' must map graph input names to {{\"dtype\": \"int64\", \"value\": 16000}}.");
        var list = new List<ConstantSpec>();
        foreach (var p in v.EnumerateObject())
        {
            string at = $"{where}: constants.{p.Name}";
            var k = new ModelConfig(p.Value, at);
            string dtype = k.String("dtype", ConstantInput.DTypes.Keys.ToArray());
            var value = k.Element("value");
            k.EnsureNoUnknownKeys();
            list.Add(new ConstantSpec(p.Name, dtype, ReadValue(value, dtype, at)));
        }
        return list;
    }

    private static double ReadValue(JsonElement v, string dtype, string at)
    {
        if (dtype == "bool")
        {
            return v.ValueKind switch
            {
                JsonValueKind.True => 1,
                JsonValueKind.False => 0,
                _ => Fail.With<double>(EdgeErrorCode.InvalidConfig, $"{at}: value must be true or false for dtype bool, found {MessageText.Value(v.GetRawText())}."),
            };
        }
        Fail.If(v.ValueKind != JsonValueKind.Number, EdgeErrorCode.InvalidConfig, $"{at}: value must be a number, found {MessageText.Value(v.GetRawText())}.");
        if (dtype is "int64" or "int32")
        {
            bool fits = dtype == "int64" ? v.TryGetInt64(out long l) && Math.Abs(l) < (1L << 53) : v.TryGetInt32(out _);
            Fail.If(!fits, EdgeErrorCode.InvalidConfig, $"{at}: value {MessageText.Value(v.GetRawText())} is not an integer that fits {dtype}.");
        }
        double d = v.GetDouble();
        Fail.If(!double.IsFinite(d), EdgeErrorCode.InvalidConfig, $"{at}: value must be finite.");
        return d;
    }

    private static long[] ReadShape(JsonElement v, string where)
    {
        bool ok = v.ValueKind == JsonValueKind.Array && v.GetArrayLength() > 0
            && v.EnumerateArray().All(d => d.ValueKind == JsonValueKind.Number && d.TryGetInt64(out long n) && n >= 1 && n <= 1 << 24);
        Fail.If(!ok, EdgeErrorCode.InvalidConfig, $"{where}: 'input_shape' must be an array of positive integers, e.g. [1, 512].");
        return v.EnumerateArray().Select(d => d.GetInt64()).ToArray();
    }
}
