using Edge.Backends;
using Edge.Families;
using Edge.Onnx.Graphs;
using Edge.Onnx.Providers;
using Edge.Streams;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Edge.Onnx.Sessions;

/// <summary>
/// A step run as an ONNX graph: one ONNX Runtime session shared by every stream of the model (sessions are
/// safe to run concurrently), the graph's binding map, the initial state and the constant inputs.
/// </summary>
public sealed class OnnxStepModel : IStepModel
{
    private readonly OnnxSession _session;
    private readonly OrtAllocator[] _allocators;

    internal OnnxStepModel(OnnxSession session, StepGraph graph, StepDescription description, OnnxBackendOptions options)
    {
        _session = session;
        Graph = graph;
        Description = description;
        Run = new RunOptions();
        var constants = new List<OrtValue>();
        try
        {
            foreach (var c in graph.Constants) constants.Add(c.CreateValue());
            Constants = constants;
            // Where the session wants each state input: the CPU for the CPU provider, device memory for CUDA and DirectML.
            using var infos = session.Session.GetMemoryInfosForInputs();
            var names = session.Session.InputNames;
            var memory = graph.State.Select(s => infos[IndexOf(names, s.InputName)]).ToList();
            StateOnDevice = options.ForceDeviceState || memory.Any(m => m.GetDeviceType() != OrtMemoryInfoDeviceType.CPU);
            _allocators = StateOnDevice ? memory.Select(m => new OrtAllocator(session.Session, m)).ToArray() : [];
            if (StateOnDevice) Copier = new DeviceStateCopier(graph.State.Select(s => s.Shape).ToList(), session.Provider, options);
        }
        catch
        {
            foreach (var c in constants) c.Dispose();
            foreach (var a in _allocators ?? []) a.Dispose();
            Run.Dispose();
            throw;
        }
    }

    /// <summary>The execution provider that runs the steps.</summary>
    public ExecutionProvider Provider => _session.Provider;

    /// <summary>Fallbacks that happened while the model was loaded, one line each (empty when the first provider started).</summary>
    public IReadOnlyList<string> Notices => _session.Notices;

    /// <summary>True when the state lives in device memory between steps (CUDA, DirectML).</summary>
    public bool StateOnDevice { get; }

    /// <inheritdoc />
    public int InputSize => Graph.InputSize;

    /// <inheritdoc />
    public int OutputSize => Graph.OutputSize;

    /// <inheritdoc />
    public StateLayout State => Graph.Layout;

    /// <inheritdoc />
    public string BackendName => "onnx:" + Provider.ShortName();

    internal StepGraph Graph { get; }

    /// <summary>The family's description: initial state, token vocabulary, per-stream conditioning.</summary>
    internal StepDescription Description { get; }

    /// <inheritdoc />
    public int InputVocabulary => Description.InputVocabulary;

    internal InferenceSession Session => _session.Session;

    internal RunOptions Run { get; }

    internal IReadOnlyList<OrtValue> Constants { get; } = [];

    internal IReadOnlyList<OrtAllocator> Allocators => _allocators;

    internal DeviceStateCopier? Copier { get; }

    /// <inheritdoc />
    public IStepSession CreateSession() => new OnnxStepSession(this);

    /// <inheritdoc />
    public void Dispose()
    {
        Copier?.Dispose();
        foreach (var c in Constants) c.Dispose();
        foreach (var a in _allocators) a.Dispose();
        Run.Dispose();
        _session.Dispose();
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (names[i] == name) return i;
        }
        throw new InvalidOperationException($"input '{name}' vanished from the session.");
    }
}
