using System.Globalization;
using Edge.Onnx.Graphs;

namespace Edge.Onnx.Import;

/// <summary>
/// Decides, from a graph's inputs and outputs alone, which input takes the frame, which output is the step's
/// output, which inputs and outputs are state pairs and which inputs are constants. Pure: no graph is run.
/// </summary>
public static class ImportPlanner
{
    /// <summary>
    /// The plan for <paramref name="inputs"/> and <paramref name="outputs"/>. State pairs are taken from
    /// <paramref name="options"/> first, then by name (<c>h</c>/<c>hn</c>, <c>h0</c>/<c>hn</c>, <c>state</c>/<c>stateN</c>,
    /// <c>*_in</c>/<c>*_out</c>, <c>past_*</c>/<c>present_*</c>, <c>*</c>/<c>*_out</c>, <c>*_next</c>, <c>*_new</c>),
    /// then, among what is left, by a shape only one output fits. Anything it cannot decide is an
    /// <see cref="EdgeException"/> (<see cref="EdgeErrorCode.InvalidArgument"/>) saying which option settles it.
    /// </summary>
    public static ImportPlan Plan(IReadOnlyList<GraphPort> inputs, IReadOnlyList<GraphPort> outputs, OnnxImportOptions options, string where)
    {
        var inByName = inputs.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var outByName = outputs.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var pairs = new List<(GraphPort In, GraphPort Out, string How)>();
        var usedIn = new HashSet<string>(StringComparer.Ordinal);
        var usedOut = new HashSet<string>(StringComparer.Ordinal);

        foreach (var (i, o) in options.State)
        {
            var pi = Port(inByName, i, "input", where, "--state");
            var po = Port(outByName, o, "output", where, "--state");
            Fail.If(!pi.Fits(po), EdgeErrorCode.InvalidArgument, $"{where}: --state {i}={o} pairs {pi} with {po}, which cannot be the same tensor.");
            Fail.If(!usedIn.Add(i) || !usedOut.Add(o), EdgeErrorCode.InvalidArgument, $"{where}: --state names '{i}' or '{o}' twice.");
            pairs.Add((pi, po, "given"));
        }
        if (options.Input is { } frameName) Port(inByName, frameName, "input", where, "--input");
        if (options.Output is { } outName) Port(outByName, outName, "output", where, "--step-output");

        var constants = new List<(string, string, double)>();
        foreach (var (name, value) in options.Constants)
        {
            var p = Port(inByName, name, "input", where, "--const");
            Fail.If(!ConstantInput.DTypes.ContainsKey(p.DType) || p.Dims.Any(d => d > 1), EdgeErrorCode.InvalidArgument,
                $"{where}: --const {name}: the input is {p}; a constant is a scalar (or one element) of int64, int32, float32, float64 or bool.");
            Fail.If(!usedIn.Add(name), EdgeErrorCode.InvalidArgument, $"{where}: input '{name}' is given both as a constant and as a state.");
            constants.Add((name, p.DType, value));
        }

        // Inputs nobody named that are not float32 can only be constants.
        var notFloat = inputs.Where(p => !usedIn.Contains(p.Name) && p.DType != "float32").ToList();
        if (notFloat.Count > 0)
        {
            var p = notFloat[0];
            Fail.With(EdgeErrorCode.InvalidArgument, p.Dims.All(d => d <= 1) && ConstantInput.DTypes.ContainsKey(p.DType)
                ? $"{where}: input {p} is neither a frame nor a state (those are float32); give its value: --const {p.Name}=VALUE (a sample rate, for example --const {p.Name}=16000)."
                : $"{where}: input {p} is not float32 and not a scalar; Edge feeds float32 frames and states and scalar constants only.");
        }

        // By name: the first output whose name is a known successor of the input's.
        foreach (var pi in inputs.Where(p => !usedIn.Contains(p.Name) && p.Name != options.Input))
        {
            var po = outputs.FirstOrDefault(o => !usedOut.Contains(o.Name) && o.Name != options.Output && IsSuccessor(pi.Name, o.Name) && pi.Fits(o));
            if (po is null) continue;
            usedIn.Add(pi.Name);
            usedOut.Add(po.Name);
            pairs.Add((pi, po, "by name"));
        }

        // By shape: among what is left (the frame's input excepted), an input only one output fits, and that output
        // only it; without --input, only when exactly one input is then left over for the frame.
        var openIn = inputs.Where(p => !usedIn.Contains(p.Name) && p.Name != options.Input).ToList();
        var openOut = outputs.Where(p => !usedOut.Contains(p.Name) && p.Name != options.Output).ToList();
        var byShape = openIn.Select(pi => (In: pi, Fits: openOut.Where(pi.Fits).ToList()))
            .Where(c => c.Fits.Count == 1 && openIn.Count(x => x.Fits(c.Fits[0])) == 1)
            .Select(c => (c.In, Out: c.Fits[0])).ToList();
        if (byShape.Count > 0 && (options.Input is not null || openIn.Count - byShape.Count == 1))
        {
            foreach (var (pi, po) in byShape)
            {
                pairs.Add((pi, po, "by shape"));
                openIn.Remove(pi);
                usedIn.Add(pi.Name);
                usedOut.Add(po.Name);
            }
        }

        GraphPort frame = Pick(options.Input, inByName, openIn, usedIn, "--input",
            $"{where}: every float input is paired as state; no input is left for the frame. Name it with --input and the pairs with --state IN=OUT.",
            $"{where}: cannot tell the frame from the state among inputs {string.Join("; ", openIn)}. Name the frame with --input NAME, or the pairs with --state IN=OUT[,IN=OUT].", where);
        var stepOut = outputs.Where(p => !usedOut.Contains(p.Name)).ToList();
        GraphPort output = Pick(options.Output, outByName, stepOut, usedOut, "--step-output",
            $"{where}: every output is paired as state; none is left for the step's output. Name it with --step-output.",
            $"{where}: outputs {string.Join("; ", stepOut)} are not paired with any input; name the step's output with --step-output NAME, and pair the others with --state IN=OUT.", where);
        Fail.If(output.DType != "float32" || frame.DType != "float32", EdgeErrorCode.InvalidArgument,
            $"{where}: the frame ({frame}) and the step's output ({output}) must be float32.");
        Fail.If(pairs.Count == 0, EdgeErrorCode.InvalidArgument,
            $"{where}: no state pair found (inputs: {string.Join("; ", inputs)}; outputs: {string.Join("; ", outputs)}). A stateless graph needs no Edge stream; if it has state, pair it with --state IN=OUT.");
        foreach (var p in outputs.Where(p => !usedOut.Contains(p.Name) && p.Name != output.Name))
            Fail.With(EdgeErrorCode.InvalidArgument, $"{where}: output {p} is neither the step's output nor paired with a state input; pair it with --state IN=OUT.");

        long[]? shape = FrameShape(frame, options.InputShape, where);
        var ordered = pairs.OrderBy(p => IndexOf(inputs, p.In.Name)).ToList();
        return new ImportPlan(frame.Name, output.Name, [.. ordered.Select(p => (p.In.Name, p.Out.Name))], constants, shape, [.. ordered.Select(p => p.How)]);
    }

    /// <summary>True when <paramref name="output"/> is, by a common naming convention, the next value of <paramref name="input"/>.</summary>
    public static bool IsSuccessor(string input, string output)
    {
        string i = input.ToLowerInvariant(), o = output.ToLowerInvariant();
        if (i == o) return false;
        var candidates = new List<string> { i + "n", i + "_n", i + "_out", i + "_next", i + "_new", i + "_1", "next_" + i, "new_" + i, "out_" + i };
        foreach (var (a, b) in new[] { ("0", "n"), ("0", "_n"), ("0", "1"), ("_in", "_out"), ("in", "out"), ("_0", "_1"), ("_prev", "_next"), ("_prev", "") })
            if (i.EndsWith(a, StringComparison.Ordinal) && i.Length > a.Length) candidates.Add(i[..^a.Length] + b);
        foreach (var (a, b) in new[] { ("in_", "out_"), ("past_key_values", "present"), ("past_", "present_"), ("past", "present"), ("prev_", "next_"), ("prev_", ""), ("previous_", "") })
            if (i.StartsWith(a, StringComparison.Ordinal) && i.Length > a.Length) candidates.Add(b + i[a.Length..]);
        return candidates.Contains(o);
    }

    private static long[]? FrameShape(GraphPort frame, long[]? given, string where)
    {
        string dims = string.Join(",", frame.Dims.Select(d => d < 0 ? "?" : d.ToString(CultureInfo.InvariantCulture)));
        if (given is not null)
        {
            bool fits = given.Length == frame.Dims.Length && given.Zip(frame.Dims).All(p => p.First >= 1 && (p.Second < 0 || p.First == p.Second));
            Fail.If(!fits, EdgeErrorCode.InvalidArgument, $"{where}: --input-shape {string.Join(",", given)} does not fit the frame input {frame}.");
            return given;
        }
        Fail.If(frame.Dims.Skip(1).Any(d => d < 0), EdgeErrorCode.InvalidArgument,
            $"{where}: the frame input {frame} leaves more than its batch dimension open; give the frame's shape: --input-shape {string.Join(",", frame.Dims.Select((d, k) => d >= 0 ? d.ToString(CultureInfo.InvariantCulture) : k == 0 ? "1" : "N"))} (e.g. the samples per chunk). Declared: [{dims}].");
        return null;
    }

    // The port named by an option, else the one candidate left; none or several is the matching message.
    private static GraphPort Pick(string? named, Dictionary<string, GraphPort> all, List<GraphPort> left, HashSet<string> used, string option,
        string whenNone, string whenMany, string where)
    {
        if (named is not null)
        {
            Fail.If(used.Contains(named), EdgeErrorCode.InvalidArgument, $"{where}: {option} {named} is also named as a state or a constant.");
            return all[named];
        }
        return left.Count == 1 ? left[0] : Fail.With<GraphPort>(EdgeErrorCode.InvalidArgument, left.Count == 0 ? whenNone : whenMany);
    }

    private static GraphPort Port(Dictionary<string, GraphPort> all, string name, string kind, string where, string option) =>
        all.TryGetValue(name, out var p) ? p
            : Fail.With<GraphPort>(EdgeErrorCode.InvalidArgument, $"{where}: {option} names '{MessageText.Value(name)}', but the graph has no {kind} of that name; its {kind}s are {string.Join(", ", all.Keys)}.");

    private static int IndexOf(IReadOnlyList<GraphPort> ports, string name)
    {
        for (int i = 0; i < ports.Count; i++) if (ports[i].Name == name) return i;
        return ports.Count;
    }
}
