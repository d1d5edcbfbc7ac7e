using Edge.Backends;
using Edge.Families;
using Edge.Onnx.Graphs;
using Edge.Onnx.Providers;
using Edge.Onnx.Sessions;
using Edge.Packages;
using Edge.Streams;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Onnx.OnnxStateful;

/// <summary>
/// The <c>onnx-stateful</c> family: any ONNX model whose recurrent state goes in as inputs and comes back as
/// outputs, described by model.json. Symbolic dimensions (a batch) are taken as 1; the state layout is
/// named after the graph's state inputs; the state starts at zero; constants are bound once.
/// </summary>
public sealed class OnnxStatefulFamily : IModelFamily, IOnnxStepFamily
{
    /// <summary>The family's name in model.json.</summary>
    public const string FamilyName = "onnx-stateful";

    /// <summary>The shared instance (the ONNX backend lists it in <see cref="OnnxBackend.Families"/>).</summary>
    public static OnnxStatefulFamily Instance { get; } = new();

    /// <inheritdoc />
    public string Name => FamilyName;

    /// <inheritdoc />
    public IReadOnlyList<string> ManifestKeys => [];

    /// <inheritdoc />
    /// <remarks>The layout of this family comes from its graph, so only <see cref="CreateOnnxModel"/> can describe it.</remarks>
    public StepDescription Describe(ModelPackage package) => Fail.With<StepDescription>(EdgeErrorCode.UnsupportedFamily,
        $"{package.Path}: family {FamilyName} learns its state layout from its graph; load it with the ONNX backend (OnnxBackend).");

    /// <inheritdoc />
    public IStepModel CreateCpuModel(ModelPackage package) => Fail.With<IStepModel>(EdgeErrorCode.UnsupportedFamily,
        $"{package.Path}: family {FamilyName} runs only on the ONNX backend; load it with EdgeModelOptions.Backend = new OnnxBackend().");

    /// <summary>Builds the model from a package with family onnx-stateful.</summary>
    public IStepModel CreateOnnxModel(ModelPackage package, OnnxBackendOptions options)
    {
        string where = $"{package.Path}/model.json config";
        var config = OnnxStatefulConfig.Read(package.CreateConfigReader(), where);
        Fail.If(package.OnnxFile is null, EdgeErrorCode.InvalidPackage,
            $"{package.Path}/model.json: family onnx-stateful needs its graph; add \"onnx\": \"model.onnx\" naming the .onnx file in the package.");
        var session = OnnxBackend.Open(package, options);
        try
        {
            var graph = Build(session.Session, $"{package.Path}/{package.OnnxFile}", config);
            var description = new StepDescription
            {
                InputSize = graph.InputSize,
                OutputSize = graph.OutputSize,
                State = graph.Layout,
                InitialState = new byte[graph.Layout.Bytes],
            };
            return new OnnxStepModel(session, graph, description, options);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Maps the config onto the graph, then runs one trial step from zero state to learn the output shapes.</summary>
    internal static StepGraph Build(InferenceSession session, string where, OnnxStatefulConfig config)
    {
        var sig = new GraphSignature(session, where);
        var inMeta = sig.FloatInput(config.Input, "the step's frame, config 'input'");
        var inputShape = config.InputShape ?? GraphSignature.Concrete(inMeta);
        if (config.InputShape is { } given)
        {
            bool fits = given.Length == inMeta.Dimensions.Length && given.Zip(inMeta.Dimensions).All(p => p.Second < 0 || p.First == p.Second);
            Fail.If(!fits, EdgeErrorCode.ShapeMismatch, $"{where}: config 'input_shape' {Fail.Shape(given)} does not fit input '{config.Input}', which is {GraphSignature.Describe(inMeta)}.");
        }
        sig.FloatOutput(config.Output, "the step's output, config 'output'");

        var state = new List<(StatePair Pair, long[] Shape)>();
        for (int i = 0; i < config.State.Count; i++)
        {
            var p = config.State[i];
            var m = sig.FloatInput(p.Input, $"config state[{i}].input");
            sig.FloatOutput(p.Output, $"config state[{i}].output");
            state.Add((p, GraphSignature.Concrete(m)));
        }

        var constants = new List<ConstantInput>();
        foreach (var k in config.Constants)
        {
            var m = sig.Input(k.Name, "config constants");
            var type = ConstantInput.DTypes[k.DType];
            Fail.If(m.ElementDataType != type, EdgeErrorCode.InvalidConfig,
                $"{where}: constant '{k.Name}' is declared {k.DType} in model.json but the graph takes {GraphSignature.Describe(m)}; set its dtype to {GraphSignature.TypeName(m.ElementDataType)}.");
            var shape = GraphSignature.Concrete(m);
            Fail.If(StepGraph.Elements(shape) != 1, EdgeErrorCode.InvalidConfig,
                $"{where}: constant '{k.Name}' must be a scalar, but the graph takes {GraphSignature.Describe(m)}.");
            constants.Add(new ConstantInput(k.Name, type, shape, k.Value));
        }

        var fed = new HashSet<string>(state.Select(s => s.Pair.Input).Concat(constants.Select(c => c.Name))) { config.Input };
        var unfed = sig.InputNames.Where(n => !fed.Contains(n)).ToList();
        Fail.If(unfed.Count > 0, EdgeErrorCode.InvalidConfig,
            $"{where}: graph input{(unfed.Count > 1 ? "s" : "")} {string.Join(", ", unfed.Select(n => $"'{n}' ({GraphSignature.Describe(sig.Input(n, "unfed"))})"))} {(unfed.Count > 1 ? "are" : "is")} not fed; name {(unfed.Count > 1 ? "them" : "it")} in config 'state' or 'constants'.");

        var shapes = TrialStep(session, where, config, inputShape, state, constants);
        var layoutEntries = new List<(string, int[])>();
        var bindings = new List<StateBinding>();
        foreach (var (p, shape) in state)
        {
            var got = shapes[p.Output];
            Fail.If(StepGraph.Elements(got) != StepGraph.Elements(shape), EdgeErrorCode.ShapeMismatch,
                $"{where}: state output '{p.Output}' came back {Fail.Shape(got)} but its input '{p.Input}' is {Fail.Shape(shape)}; a state pair must keep its size.");
            layoutEntries.Add((p.Input, shape.Select(d => checked((int)d)).ToArray()));
        }
        var layout = new StateLayout(layoutEntries);
        for (int i = 0; i < state.Count; i++) bindings.Add(new StateBinding(layout.Entries[i], state[i].Pair.Input, state[i].Pair.Output, state[i].Shape));
        return new StepGraph(config.Input, inputShape, config.Output, shapes[config.Output], layout, bindings, constants);
    }

    // Symbolic output dimensions are known only once the graph has run: run it once on zeros.
    private static Dictionary<string, long[]> TrialStep(InferenceSession session, string where, OnnxStatefulConfig config,
        long[] inputShape, List<(StatePair Pair, long[] Shape)> state, List<ConstantInput> constants)
    {
        var names = new List<string>();
        var values = new List<OrtValue>();
        try
        {
            names.Add(config.Input);
            values.Add(OrtValue.CreateTensorValueFromMemory(new float[StepGraph.Elements(inputShape)], inputShape));
            foreach (var (p, shape) in state)
            {
                names.Add(p.Input);
                values.Add(OrtValue.CreateTensorValueFromMemory(new float[StepGraph.Elements(shape)], shape));
            }
            foreach (var c in constants)
            {
                names.Add(c.Name);
                values.Add(c.CreateValue());
            }
            var outputs = state.Select(s => s.Pair.Output).Prepend(config.Output).ToList();
            using var run = new RunOptions();
            using var results = session.Run(run, names, values, outputs);
            var shapes = new Dictionary<string, long[]>();
            for (int i = 0; i < outputs.Count; i++) shapes[outputs[i]] = results[i].GetTensorTypeAndShape().Shape;
            return shapes;
        }
        catch (OnnxRuntimeException e)
        {
            throw new EdgeException(EdgeErrorCode.InvalidPackage,
                $"{where}: a trial step from zero state failed in ONNX Runtime: {OrtCall.FirstLine(e.Message)}. Check config 'input', 'state' and 'constants' against the graph.", e);
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }
}
