using Edge.Backends;
using Edge.Families;
using Edge.Streams;
using Edge.Onnx.Providers;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Onnx.Sessions;

/// <summary>
/// One stream on the ONNX backend. Two state sets swap roles each step (ping-pong): binding A reads set 0
/// and writes set 1, binding B reads set 1 and writes set 0. Both bindings, the frame buffers and the
/// constants are bound once, so a step is: copy the frame in, run the binding, flip, copy the output out.
/// On the CPU provider it allocates nothing; on a device the state never leaves it between steps. A family's
/// per-stream conditioning (gla-tts's text tensors) is bound as extra inputs whenever it changes, never per step.
/// </summary>
internal sealed class OnnxStepSession : IStepSession, IConditionedStream
{
    private readonly OnnxStepModel _model;
    private readonly float[] _input;
    private readonly float[] _output;
    private readonly OrtValue _inputValue;
    private readonly OrtValue _outputValue;
    private readonly StateSet[] _sets = new StateSet[2];
    private readonly OrtIoBinding[] _bindings = new OrtIoBinding[2];
    private readonly StateSet? _staging;   // device state only: host buffers for Read/WriteState
    private int _current;                   // the set holding the current state; _bindings[_current] reads it
    private readonly IStepConditioning? _conditioning;
    private readonly OrtValue?[] _conditioningValues;
    private long _boundVersion = -1;        // the conditioning version bound; -1 = none (or a failed bind)
    private long _steps;

    public OnnxStepSession(OnnxStepModel model)
    {
        _model = model;
        var g = model.Graph;
        _input = new float[g.InputSize];
        _output = new float[g.OutputSize];
        var owned = new List<IDisposable>();
        try
        {
            _inputValue = Own(owned, OrtValue.CreateTensorValueFromMemory(_input, g.InputShape));
            _outputValue = Own(owned, OrtValue.CreateTensorValueFromMemory(_output, g.OutputShape));
            for (int p = 0; p < 2; p++)
                _sets[p] = Own(owned, model.StateOnDevice ? StateSet.OnDevice(g.State, model.Allocators) : StateSet.OnHost(g.State));
            if (model.StateOnDevice) _staging = Own(owned, StateSet.OnHost(g.State));
            for (int p = 0; p < 2; p++) _bindings[p] = Own(owned, Bind(_sets[p], _sets[1 - p]));
            _conditioning = model.Description.CreateConditioning?.Invoke();
            if (_conditioning is not null) Own(owned, _conditioning).Attach(this);
            _conditioningValues = new OrtValue?[model.Description.ConditioningInputs.Count];
        }
        catch (Exception e)
        {
            for (int i = owned.Count - 1; i >= 0; i--) owned[i].Dispose();
            throw OrtCall.Convert(e, "while binding a stream's buffers") ?? e;
        }
    }

    public long Steps => _steps;

    public T? GetFeature<T>() where T : class => _conditioning as T ?? this as T;

    public void Step(ReadOnlySpan<float> input, Span<float> output)
    {
        if (_conditioning is not null)
        {
            _conditioning.EnsureReady();
            if (_conditioning.Version != _boundVersion) BindConditioning();
        }
        int vocabulary = _model.Description.InputVocabulary;
        if (vocabulary > 0) CheckTokenIds(input, vocabulary);
        input.CopyTo(_input);
        var binding = _bindings[_current];
        try
        {
            if (_model.StateOnDevice)
            {
                // A device input is copied when it is bound, so the frame is bound again each step.
                binding.BindInput(_model.Graph.InputName, _inputValue);
                binding.SynchronizeBoundInputs();
            }
            _model.Session.RunWithBinding(_model.Run, binding);
            if (_model.StateOnDevice) binding.SynchronizeBoundOutputs();
        }
        catch (OnnxRuntimeException e)
        {
            throw OrtCall.Convert(e, "while running a step")!;
        }
        _current ^= 1;
        _steps++;
        _output.CopyTo(output);
    }

    public void Reset()
    {
        WriteState(_conditioning?.InitialState ?? _model.Description.InitialState);
        _steps = 0;
    }

    // The graph's state tensors are float32; an f64 layout entry (aaren's running sums) is widened on the way out
    // and rounded on the way in, so a state saved here loads anywhere and one from the CPU runs here.
    public void ReadState(Span<byte> destination)
    {
        var state = _model.Graph.State;
        if (_staging is not null) _model.Copier!.Copy(_sets[_current].Values, _staging.Values);
        var arrays = (_staging ?? _sets[_current]).Arrays!;
        for (int k = 0; k < state.Count; k++)
        {
            var e = state[k].Entry;
            if (e.DType == StateDType.F32)
            {
                arrays[k].CopyTo(StateLayout.Floats(destination, e));
                continue;
            }
            var d = StateLayout.Doubles(destination, e);
            for (int i = 0; i < d.Length; i++) d[i] = arrays[k][i];
        }
    }

    public void WriteState(ReadOnlySpan<byte> source)
    {
        var state = _model.Graph.State;
        var arrays = (_staging ?? _sets[_current]).Arrays!;
        for (int k = 0; k < state.Count; k++)
        {
            var e = state[k].Entry;
            if (e.DType == StateDType.F32)
            {
                StateLayout.Floats(source, e).CopyTo(arrays[k]);
                continue;
            }
            var d = StateLayout.Doubles(source, e);
            for (int i = 0; i < d.Length; i++) arrays[k][i] = (float)d[i];
        }
        if (_staging is not null) _model.Copier!.Copy(_staging.Values, _sets[_current].Values);
    }

    // Binding allocates: done when the conditioning changed (a new text), never per step. On failure the
    // bindings may name disposed tensors, so the version stays unbound and the next step tries again.
    private void BindConditioning()
    {
        var c = _conditioning!;
        var names = _model.Description.ConditioningInputs;
        _boundVersion = -1;
        var values = new OrtValue?[names.Count];
        try
        {
            for (int i = 0; i < values.Length; i++)
            {
                var (data, shape) = c.GetInput(i);
                values[i] = OrtValue.CreateTensorValueFromMemory(data, shape);
                foreach (var b in _bindings) b.BindInput(names[i], values[i]!);
            }
        }
        catch (Exception e)
        {
            foreach (var x in values) x?.Dispose();
            throw OrtCall.Convert(e, "while binding the stream's conditioning inputs") ?? e;
        }
        for (int i = 0; i < values.Length; i++)
        {
            _conditioningValues[i]?.Dispose();
            _conditioningValues[i] = values[i];
        }
        _boundVersion = c.Version;
    }

    private static void CheckTokenIds(ReadOnlySpan<float> input, int vocabulary)
    {
        for (int q = 0; q < input.Length; q++)
        {
            float f = input[q];
            int id = (int)f;
            if (id != f || (uint)id >= (uint)vocabulary)
                Fail.With(EdgeErrorCode.InvalidInput, $"input {q} is {f}; this model's inputs are token ids, integers in [0, {vocabulary}).");
        }
    }

    public void Dispose()
    {
        foreach (var b in _bindings) b?.Dispose();
        foreach (var s in _sets) s?.Dispose();
        _staging?.Dispose();
        _inputValue?.Dispose();
        _outputValue?.Dispose();
        _conditioning?.Dispose();
        foreach (var v in _conditioningValues ?? []) v?.Dispose();
    }

    private OrtIoBinding Bind(StateSet read, StateSet write)
    {
        var g = _model.Graph;
        var b = _model.Session.CreateIoBinding();
        try
        {
            b.BindInput(g.InputName, _inputValue);
            b.BindOutput(g.OutputName, _outputValue);
            for (int c = 0; c < g.Constants.Count; c++) b.BindInput(g.Constants[c].Name, _model.Constants[c]);
            for (int k = 0; k < g.State.Count; k++)
            {
                b.BindInput(g.State[k].InputName, read.Values[k]);
                b.BindOutput(g.State[k].OutputName, write.Values[k]);
            }
            return b;
        }
        catch
        {
            b.Dispose();
            throw;
        }
    }

    private static T Own<T>(List<IDisposable> owned, T item) where T : IDisposable
    {
        owned.Add(item);
        return item;
    }
}
