using Edge.Backends;
using Edge.Onnx.Providers;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Onnx.Sessions;

/// <summary>
/// One stream on the ONNX backend. Two state sets swap roles each step (ping-pong): binding A reads set 0
/// and writes set 1, binding B reads set 1 and writes set 0. Both bindings, the frame buffers and the
/// constants are bound once, so a step is: copy the frame in, run the binding, flip, copy the output out.
/// On the CPU provider it allocates nothing; on a device the state never leaves it between steps.
/// </summary>
internal sealed class OnnxStepSession : IStepSession
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
        }
        catch (Exception e)
        {
            for (int i = owned.Count - 1; i >= 0; i--) owned[i].Dispose();
            throw OrtCall.Convert(e, "while binding a stream's buffers") ?? e;
        }
    }

    public void Step(ReadOnlySpan<float> input, Span<float> output)
    {
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
        _output.CopyTo(output);
    }

    /// <summary>
    /// Binds a further input (a family's conditioning tensor, e.g. gla-tts's text keys) in both bindings,
    /// replacing what was bound under that name. For rare calls (a new text), never per step: binding allocates.
    /// The caller owns <paramref name="value"/> and keeps it alive while it is bound.
    /// </summary>
    public void BindInput(string name, OrtValue value)
    {
        try
        {
            foreach (var b in _bindings) b.BindInput(name, value);
        }
        catch (OnnxRuntimeException e)
        {
            throw OrtCall.Convert(e, $"while binding input '{name}'")!;
        }
    }

    public void Reset() => WriteState(_model.InitialState);

    public void ReadState(Span<float> destination)
    {
        var state = _model.Graph.State;
        if (_staging is not null) _model.Copier!.Copy(_sets[_current].Values, _staging.Values);
        var arrays = (_staging ?? _sets[_current]).Arrays!;
        for (int k = 0; k < state.Count; k++) arrays[k].CopyTo(destination.Slice(state[k].Entry.Offset, state[k].Entry.Length));
    }

    public void WriteState(ReadOnlySpan<float> source)
    {
        var state = _model.Graph.State;
        var arrays = (_staging ?? _sets[_current]).Arrays!;
        for (int k = 0; k < state.Count; k++) source.Slice(state[k].Entry.Offset, state[k].Entry.Length).CopyTo(arrays[k]);
        if (_staging is not null) _model.Copier!.Copy(_staging.Values, _sets[_current].Values);
    }

    public void Dispose()
    {
        foreach (var b in _bindings) b?.Dispose();
        foreach (var s in _sets) s?.Dispose();
        _staging?.Dispose();
        _inputValue?.Dispose();
        _outputValue?.Dispose();
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
