using Edge.Backends;
using Edge.Families.Gla;
using Edge.Streams;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Onnx.Sessions;

/// <summary>
/// One gla-tts stream on the ONNX backend: an <see cref="OnnxStepSession"/> (state ping-pong, bound once)
/// for the decoder step, and a CPU <see cref="GlaTtsSession"/> used only for what happens once per utterance:
/// tokenizing and encoding the text, computing K, V, P (bound to the graph as inputs, replacing the previous
/// text's) and loading or saving voices. A step allocates nothing; setting a text allocates its tensors.
/// </summary>
internal sealed class GlaOnnxSession : IStepSession, ITextConditioning, IVoiceConditioning
{
    private readonly GlaOnnxModel _model;
    private readonly OnnxStepSession _step;
    private readonly GlaTtsSession _cpu;
    private readonly OrtValue?[] _text = new OrtValue?[GlaOnnxModel.TextInputs.Count];
    private bool _textBound;     // false until a text's tensors are bound, and after a failed bind
    private float[]? _initial;   // the voice's initial state; null = the family's (zeros)
    private long _steps;

    public GlaOnnxSession(GlaOnnxModel model)
    {
        _model = model;
        _step = (OnnxStepSession)model.Step.CreateSession();
        try
        {
            _cpu = (GlaTtsSession)model.Cpu.CreateSession();
        }
        catch
        {
            _step.Dispose();
            throw;
        }
    }

    public int TextVocabulary => _cpu.TextVocabulary;

    public int TextLength => _cpu.TextLength;

    public void Step(ReadOnlySpan<float> input, Span<float> output)
    {
        if (!_textBound) ThrowNoText();
        int vocab = _model.Cpu.Config.AudioVocab;
        for (int q = 0; q < input.Length; q++)
        {
            float f = input[q];
            int id = (int)f;
            if (id != f || (uint)id >= (uint)vocab) ThrowBadId(q, f);
        }
        _step.Step(input, output);
        _steps++;
    }

    public void Reset()
    {
        if (_initial is null) _step.Reset();
        else _step.WriteState(_initial);
        _steps = 0;
    }

    public void ReadState(Span<float> destination) => _step.ReadState(destination);

    public void WriteState(ReadOnlySpan<float> source) => _step.WriteState(source);

    public void SetText(string text)
    {
        _cpu.SetText(text);
        BindText();
    }

    public void SetTextIds(ReadOnlySpan<int> ids)
    {
        _cpu.SetTextIds(ids);
        BindText();
    }

    public void LoadVoice(string path)
    {
        _cpu.LoadVoice(path);   // checks the file against the model and resets the CPU state to the voice
        var initial = new float[_model.State.TotalLength];
        _cpu.ReadState(initial);
        _initial = initial;
        Reset();
    }

    public void ClearVoice()
    {
        _cpu.ClearVoice();
        _initial = null;
        Reset();
    }

    public void SaveVoice(string path)
    {
        var state = new float[_model.State.TotalLength];
        _step.ReadState(state);
        _cpu.WriteState(state);
        _cpu.Steps = _steps;
        _cpu.SaveVoice(path);
    }

    public void Dispose()
    {
        _step.Dispose();
        foreach (var v in _text) v?.Dispose();
        _cpu.Dispose();
    }

    // K [J, d] as the CPU keeps it; V and P come transposed or strided there, so they are laid out [J, ·] here.
    private void BindText()
    {
        _textBound = false;
        var c = _model.Cpu.Config;
        var ws = _cpu.Text;
        int j = ws.Length, d = c.DModel, db = c.DBlind;
        var k = ws.Keys.AsSpan(0, j * d).ToArray();
        var v = new float[j * d];
        for (int t = 0; t < j; t++)
            for (int i = 0; i < d; i++) v[t * d + i] = ws.ValuesT[i * j + t];
        var p = ws.Positions.AsSpan(0, j * db).ToArray();
        var values = new OrtValue?[_text.Length];
        try
        {
            values[0] = OrtValue.CreateTensorValueFromMemory(k, [j, d]);
            values[1] = OrtValue.CreateTensorValueFromMemory(v, [j, d]);
            values[2] = OrtValue.CreateTensorValueFromMemory(p, [j, db]);
            for (int i = 0; i < values.Length; i++) _step.BindInput(GlaOnnxModel.TextInputs[i], values[i]!);
        }
        catch
        {
            // the bindings may now name disposed tensors: steps stay refused (no text) until a text binds
            foreach (var x in values) x?.Dispose();
            throw;
        }
        for (int i = 0; i < _text.Length; i++)
        {
            _text[i]?.Dispose();
            _text[i] = values[i];
        }
        _textBound = true;
    }

    private static void ThrowNoText() => throw new EdgeException(EdgeErrorCode.InvalidArgument,
        "gla-tts: no text set. Condition the stream first: stream.GetFeature<ITextConditioning>().SetText(...) (edge run --text \"...\").");

    private void ThrowBadId(int q, float f) => throw new EdgeException(EdgeErrorCode.InvalidInput,
        $"gla-tts: input {q} is {f}; audio token ids are integers in [0, {_model.Cpu.Config.AudioVocab}) (PAD 0, BOS 1, EOS 2, code c as c + 3).");
}
