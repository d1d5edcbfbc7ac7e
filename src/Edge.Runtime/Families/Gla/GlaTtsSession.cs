using Edge.Backends;
using Edge.Kernels;
using Edge.Streams;

namespace Edge.Families.Gla;

/// <summary>
/// One stream of a gla-tts model: the flat recurrent state (layout order), the text buffers and the step
/// scratch, all allocated here. <see cref="Step"/> allocates nothing.
/// </summary>
internal sealed class GlaTtsSession : IStepSession, ITextConditioning, IVoiceConditioning
{
    private readonly GlaTtsModel _model;
    private readonly float[] _state;
    private float[]? _initial;                 // the voice's initial state; null = zeros
    private readonly int[] _encoderAt, _decoderAt;
    private readonly int _posNetAt, _layerLength, _posNetLength;
    private readonly float[] _y;
    private readonly BlockScratch _main;
    private readonly CrossScratch _cross;
    private TextWorkspace _text;
    private long _steps;

    public GlaTtsSession(GlaTtsModel model)
    {
        _model = model;
        var c = model.Config;
        _state = new float[model.State.TotalLength];
        int at = 0, layer = c.MainLayer.StateLength;
        _encoderAt = new int[c.EncoderLayers];
        for (int i = 0; i < _encoderAt.Length; i++, at += layer) _encoderAt[i] = at;
        _decoderAt = new int[c.DecoderLayers];
        for (int i = 0; i < _decoderAt.Length; i++, at += layer) _decoderAt[i] = at;
        _posNetAt = at;
        _layerLength = layer;
        _posNetLength = c.PosNetLayer.StateLength;
        _y = new float[c.DModel];
        _main = new BlockScratch(c.MainLayer);
        _cross = new CrossScratch(c);
        _text = new TextWorkspace(c, Math.Clamp(model.Options.MaxTextTokens, 1, model.Cross.Positions.MaxLength));
    }

    public int TextVocabulary => _model.Config.TextVocab;

    public int TextLength => _text.Length;

    /// <summary>The current text's buffers (K, Vᵀ, P of the cross-attention): the ONNX backend feeds them to its step graph.</summary>
    internal TextWorkspace Text => _text;

    /// <summary>Steps since the last reset, as written into a saved voice; the ONNX backend, which steps elsewhere, sets it before <see cref="SaveVoice"/>.</summary>
    internal long Steps
    {
        get => _steps;
        set => _steps = value;
    }

    public void Step(ReadOnlySpan<float> input, Span<float> output)
    {
        var c = _model.Config;
        if (_text.Length == 0) ThrowNoText();
        int d = c.DModel, vocab = c.AudioVocab;
        Span<float> y = _y;
        y.Clear();
        for (int q = 0; q < c.NQuant; q++)
        {
            float f = input[q];
            int id = (int)f;
            if (id != f || (uint)id >= (uint)vocab) ThrowBadId(q, f);
            System.Numerics.Tensors.TensorPrimitives.Add(y, _model.RvqEmbed.AsSpan((q * vocab + id) * d, d), y);
        }
        Span<float> state = _state;
        int layer = _layerLength;
        for (int i = 0; i < _encoderAt.Length; i++) _model.Encoder[i].Step(y, state.Slice(_encoderAt[i], layer), _main);
        _model.Cross.Step(y, _text, state.Slice(_posNetAt, _posNetLength), _cross);
        for (int i = 0; i < _decoderAt.Length; i++) _model.Decoder[i].Step(y, state.Slice(_decoderAt[i], layer), _main);
        _model.LogitsHead.Multiply(y, output);
        _steps++;
    }

    public void Reset()
    {
        if (_initial is null) Array.Clear(_state);
        else _initial.CopyTo(_state, 0);
        _steps = 0;
    }

    public void ReadState(Span<float> destination) => _state.CopyTo(destination);

    public void WriteState(ReadOnlySpan<float> source) => source.CopyTo(_state);

    public void SetText(string text)
    {
        var tokenizer = _model.Tokenizer
            ?? throw new EdgeException(EdgeErrorCode.InvalidPackage, $"{_model.Name}: the package has no tokenizer.json; give token ids (SetTextIds) or add the tokenizer.");
        SetTextIds(tokenizer.Encode(text));
    }

    public void SetTextIds(ReadOnlySpan<int> ids)
    {
        var c = _model.Config;
        int max = _model.Cross.Positions.MaxLength;
        Fail.If(ids.Length == 0, EdgeErrorCode.InvalidInput, "text: no tokens; a text is at least [BOS] [EOS].");
        Fail.If(ids.Length > max, EdgeErrorCode.InvalidInput,
            $"text: {ids.Length} tokens is more than the {max} positions this model's cross-attention can place; split the text into shorter sentences.");
        for (int i = 0; i < ids.Length; i++)
            Fail.If((uint)ids[i] >= (uint)c.TextVocab, EdgeErrorCode.InvalidInput, $"text: token {i} is id {ids[i]}, outside [0, {c.TextVocab}).");
        if (ids.Length > _text.Capacity) _text = new TextWorkspace(c, Math.Min(max, Math.Max(ids.Length, 2 * _text.Capacity)));
        TextEncoder.Encode(c, _model.TextEmbed, _model.TextBlocks, ids, _text);
        _model.Cross.Prepare(_text, ids.Length);
        _text.Length = ids.Length;
    }

    public void LoadVoice(string path)
    {
        var layers = GlaVoice.Load(path, _model);
        var initial = new float[_state.Length];
        int rings = _model.Config.MainLayer.RingLength;
        for (int i = 0; i < layers.Length; i++)
        {
            int at = i < _encoderAt.Length ? _encoderAt[i] : _decoderAt[i - _encoderAt.Length];
            layers[i].CopyTo(initial, at + rings);
        }
        _initial = initial;
        Reset();
    }

    public void ClearVoice()
    {
        _initial = null;
        Reset();
    }

    public void SaveVoice(string path)
    {
        var s = _model.Config.MainLayer;
        var layers = _encoderAt.Concat(_decoderAt).Select(at => _state.AsSpan(at + s.RingLength, s.StateMatrixLength).ToArray()).ToList();
        GlaVoice.Save(path, _model, layers, _steps);
    }

    public void Dispose()
    {
    }

    private static void ThrowNoText() => throw new EdgeException(EdgeErrorCode.InvalidArgument,
        "gla-tts: no text set. Condition the stream first: stream.GetFeature<ITextConditioning>().SetText(...) (edge run --text \"...\").");

    private void ThrowBadId(int q, float f) => throw new EdgeException(EdgeErrorCode.InvalidInput,
        $"gla-tts: input {q} is {f}; audio token ids are integers in [0, {_model.Config.AudioVocab}) (PAD 0, BOS 1, EOS 2, code c as c + 3).");
}
