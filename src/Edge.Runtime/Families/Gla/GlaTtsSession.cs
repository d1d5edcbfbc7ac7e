using System.Runtime.InteropServices;
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
    private byte[]? _initial;                  // the voice's initial state; null = zeros
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
        _state = new float[model.State.Bytes / sizeof(float)];
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
        _text = model.Text.CreateWorkspace(model.Options.MaxTextTokens);
    }

    public int TextVocabulary => _model.Config.TextVocab;

    public int TextLength => _text.Length;

    public void Step(ReadOnlySpan<float> input, Span<float> output)
    {
        if (_text.Length == 0) GlaErrors.ThrowNoText();
        Span<float> y = _y;
        Embed(input, y);
        Span<float> state = _state;
        int layer = _layerLength;
        var threads = _model.KernelThreads;
        for (int i = 0; i < _encoderAt.Length; i++) _model.Encoder[i].Step(y, state.Slice(_encoderAt[i], layer), _main, threads);
        _model.Cross.Step(y, _text, state.Slice(_posNetAt, _posNetLength), _cross);
        for (int i = 0; i < _decoderAt.Length; i++) _model.Decoder[i].Step(y, state.Slice(_decoderAt[i], layer), _main, threads);
        _model.LogitsHead.Multiply(y, output, threads);
        _steps++;
    }

    /// <summary>
    /// <c>y = Σ_q rvq_embed[q, id_q]</c>, the step's first part; an input that is not an audio token id is an
    /// <see cref="EdgeErrorCode.InvalidInput"/> before anything changes. Shared with <see cref="GlaTtsBatchStep"/>.
    /// </summary>
    internal void Embed(ReadOnlySpan<float> input, Span<float> y)
    {
        var c = _model.Config;
        int d = c.DModel, vocab = c.AudioVocab;
        y.Clear();
        for (int q = 0; q < c.NQuant; q++)
        {
            float f = input[q];
            int id = (int)f;
            if (id != f || (uint)id >= (uint)vocab) GlaErrors.ThrowBadId(q, f, vocab);
            System.Numerics.Tensors.TensorPrimitives.Add(y, _model.RvqEmbed.AsSpan((q * vocab + id) * d, d), y);
        }
    }

    /// <summary>The flat state (layout order), stepped in place by <see cref="GlaTtsBatchStep"/>.</summary>
    internal float[] State => _state;

    /// <summary>Where encoder block <paramref name="i"/>'s state starts in <see cref="State"/> (<see cref="GlaConfig.MainLayer"/>'s StateLength floats).</summary>
    internal int EncoderStateAt(int i) => _encoderAt[i];

    /// <summary>Where decoder block <paramref name="i"/>'s state starts in <see cref="State"/>.</summary>
    internal int DecoderStateAt(int i) => _decoderAt[i];

    /// <summary>The pos_net's state.</summary>
    internal Span<float> PosNetState => _state.AsSpan(_posNetAt, _posNetLength);

    /// <summary>The current text's keys, values and positions (Length 0: no text set).</summary>
    internal TextWorkspace Text => _text;

    /// <summary>Counts a step the batch ran on this stream (the step count a saved voice records).</summary>
    internal void CountStep() => _steps++;

    public void Reset()
    {
        if (_initial is null) Array.Clear(_state);
        else _initial.CopyTo(MemoryMarshal.AsBytes(_state.AsSpan()));
        _steps = 0;
    }

    public void ReadState(Span<byte> destination) => MemoryMarshal.AsBytes(_state.AsSpan()).CopyTo(destination);

    public void WriteState(ReadOnlySpan<byte> source) => source.CopyTo(MemoryMarshal.AsBytes(_state.AsSpan()));

    public void SetText(string text) => SetTextIds(_model.Text.Tokenize(text));

    public void SetTextIds(ReadOnlySpan<int> ids) => _model.Text.Encode(ids, ref _text);

    public void LoadVoice(string path)
    {
        var c = _model.Config;
        _initial = GlaVoice.ToInitialState(GlaVoice.Load(path, c, _model.Sha256), c, _model.State);
        Reset();
    }

    public void ClearVoice()
    {
        _initial = null;
        Reset();
    }

    public void SaveVoice(string path)
        => GlaVoice.Save(path, _model.Config, _model.Sha256, _model.State, MemoryMarshal.AsBytes(_state.AsSpan()), _steps);

    public void Dispose()
    {
    }
}
