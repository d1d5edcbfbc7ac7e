using Edge.Streams;

namespace Edge.Families.Gla;

/// <summary>
/// One gla-tts stream's text and voice when its decoder step runs outside this family's CPU code (an ONNX
/// graph): the text is encoded here with <see cref="GlaTextConditioner"/> and handed to the backend as the
/// graph's <c>text_k [J, d]</c>, <c>text_v [J, d]</c>, <c>text_p [J, d_blind]</c>; a voice becomes the stream's initial state.
/// Setting a text allocates its tensors; steps never touch this object.
/// </summary>
internal sealed class GlaStreamConditioning : IStepConditioning, ITextConditioning, IVoiceConditioning
{
    /// <summary>The graph inputs, in the order of <see cref="GetInput"/>.</summary>
    public static readonly IReadOnlyList<string> Inputs = ["text_k", "text_v", "text_p"];

    private readonly GlaTextConditioner _text;
    private readonly string _sha256;
    private readonly StateLayout _layout;
    private TextWorkspace _workspace;
    private (float[] Data, long[] Shape)[] _inputs = [];
    private IConditionedStream? _stream;

    public GlaStreamConditioning(GlaTextConditioner text, string sha256, StateLayout layout)
    {
        _text = text;
        _sha256 = sha256;
        _layout = layout;
        _workspace = text.CreateWorkspace(new GlaTtsOptions().MaxTextTokens);
    }

    public long Version { get; private set; }

    public byte[]? InitialState { get; private set; }

    public int TextVocabulary => _text.Config.TextVocab;

    public int TextLength => _inputs.Length == 0 ? 0 : _workspace.Length;

    public void Attach(IConditionedStream stream) => _stream = stream;

    public void EnsureReady()
    {
        if (_inputs.Length == 0) GlaErrors.ThrowNoText();
    }

    public (float[] Data, long[] Shape) GetInput(int index) => _inputs[index];

    public void SetText(string text) => SetTextIds(_text.Tokenize(text));

    // K [J, d] as the encoder leaves it; V and P are kept transposed or strided for the CPU step, so they are laid out [J, ·] here.
    public void SetTextIds(ReadOnlySpan<int> ids)
    {
        _text.Encode(ids, ref _workspace);   // a refused text throws here and leaves the previous one bound
        var c = _text.Config;
        var ws = _workspace;
        int j = ws.Length, d = c.DModel, db = c.DBlind;
        var v = new float[j * d];
        for (int t = 0; t < j; t++)
            for (int i = 0; i < d; i++) v[t * d + i] = ws.ValuesT[i * j + t];
        _inputs =
        [
            (ws.Keys.AsSpan(0, j * d).ToArray(), [j, d]),
            (v, [j, d]),
            (ws.Positions.AsSpan(0, j * db).ToArray(), [j, db]),
        ];
        Version++;
    }

    public void LoadVoice(string path)
    {
        var c = _text.Config;
        InitialState = GlaVoice.ToInitialState(GlaVoice.Load(path, c, _sha256), c, _layout);
        Version++;
        _stream?.Reset();
    }

    public void ClearVoice()
    {
        InitialState = null;
        Version++;
        _stream?.Reset();
    }

    public void SaveVoice(string path)
    {
        var stream = _stream ?? throw new InvalidOperationException("conditioning is not attached to a stream.");
        var state = new byte[_layout.Bytes];
        stream.ReadState(state);
        GlaVoice.Save(path, _text.Config, _sha256, _layout, state, stream.Steps);
    }

    public void Dispose()
    {
    }
}
