using BenchmarkDotNet.Attributes;
using Edge.Streams;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Benchmarks;

/// <summary>
/// Batch-1 latency of one GRU step at input 64, hidden 128, one layer (models/gru-bench, random weights):
/// Edge's CPU backend against ONNX Runtime on the same weights, IOBinding, one intra-op thread,
/// state fed back by swapping two bindings (no copies). ONNX Runtime runs both the bare GRU cell
/// (gru_cell.onnx, its fused GRU operator) and the whole gru-attention step (step.onnx) that Edge runs.
/// </summary>
[MemoryDiagnoser]
public class GruStepBenchmarks
{
    private EdgeModel _model = null!;
    private ModelStream _stream = null!;
    private readonly float[] _x = new float[64];
    private readonly float[] _y = new float[8];
    private OrtPingPong _cell = null!;
    private OrtPingPong _step = null!;

    [GlobalSetup]
    public void Setup()
    {
        string dir = BenchPaths.Model("gru-bench");
        _model = EdgeModel.Load(dir);
        _stream = _model.CreateStream();
        var rng = new Random(1);
        for (int i = 0; i < _x.Length; i++) _x[i] = (float)(rng.NextDouble() * 2 - 1);
        _cell = new OrtPingPong(Path.Combine(dir, "gru_cell.onnx"),
            inputs: [("x", [1, 1, 64], _x)], state: [("h", "h_out", [1, 1, 128])], outputs: [("y", [1, 1, 128])]);
        _step = new OrtPingPong(Path.Combine(dir, "step.onnx"),
            inputs: [("input", [1, 64], _x)],
            state: [("h", "h_out", [1, 128]), ("m", "m_out", [1]), ("c", "c_out", [1]), ("a", "a_out", [128])],
            outputs: [("output", [1, 8])]);
        _step.SetState("m", float.NegativeInfinity);
    }

    /// <summary>Edge CPU backend: the whole gru-attention step (GRU, attention, head).</summary>
    [Benchmark(Baseline = true)]
    public void EdgeCpuFullStep() => _stream.Step(_x, _y);

    /// <summary>ONNX Runtime: the bare GRU cell only (less work than Edge's full step).</summary>
    [Benchmark]
    public void OrtGruCellOnly() => _cell.Step();

    /// <summary>ONNX Runtime: the same whole gru-attention step as Edge's.</summary>
    [Benchmark]
    public void OrtFullStep() => _step.Step();

    [GlobalCleanup]
    public void Cleanup()
    {
        _cell.Dispose();
        _step.Dispose();
        _stream.Dispose();
        _model.Dispose();
    }

    /// <summary>An ONNX Runtime session with two IOBindings whose state buffers swap roles every step.</summary>
    private sealed class OrtPingPong : IDisposable
    {
        private readonly InferenceSession _session;
        private readonly OrtIoBinding[] _bindings = new OrtIoBinding[2];
        private readonly List<IDisposable> _owned = [];
        private readonly Dictionary<string, float[][]> _stateBuffers = [];
        private readonly RunOptions _run = new();
        private int _turn;

        public OrtPingPong(string path, (string Name, long[] Shape, float[] Data)[] inputs,
            (string In, string Out, long[] Shape)[] state, (string Name, long[] Shape)[] outputs)
        {
            var options = new SessionOptions
            {
                IntraOpNumThreads = 1,
                InterOpNumThreads = 1,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            };
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
            _session = new InferenceSession(path, options);
            var inputValues = inputs.Select(i => Own(OrtValue.CreateTensorValueFromMemory(i.Data, i.Shape))).ToArray();
            var outputValues = outputs.Select(o => Own(OrtValue.CreateTensorValueFromMemory(new float[Count(o.Shape)], o.Shape))).ToArray();
            foreach (var s in state) _stateBuffers[s.In] = [new float[Count(s.Shape)], new float[Count(s.Shape)]];
            for (int b = 0; b < 2; b++)
            {
                var binding = _session.CreateIoBinding();
                for (int i = 0; i < inputs.Length; i++) binding.BindInput(inputs[i].Name, inputValues[i]);
                for (int i = 0; i < outputs.Length; i++) binding.BindOutput(outputs[i].Name, outputValues[i]);
                foreach (var s in state)
                {
                    binding.BindInput(s.In, Own(OrtValue.CreateTensorValueFromMemory(_stateBuffers[s.In][b], s.Shape)));
                    binding.BindOutput(s.Out, Own(OrtValue.CreateTensorValueFromMemory(_stateBuffers[s.In][1 - b], s.Shape)));
                }
                _bindings[b] = binding;
            }
        }

        public void SetState(string name, float value) => Array.Fill(_stateBuffers[name][0], value);

        public void Step()
        {
            _session.RunWithBinding(_run, _bindings[_turn]);
            _turn ^= 1;
        }

        private static long Count(long[] shape) => shape.Aggregate(1L, (a, b) => a * b);

        private OrtValue Own(OrtValue v)
        {
            _owned.Add(v);
            return v;
        }

        public void Dispose()
        {
            foreach (var b in _bindings) b.Dispose();
            foreach (var o in _owned) o.Dispose();
            _run.Dispose();
            _session.Dispose();
        }
    }
}
