using System.Runtime.InteropServices;
using Edge.Backends;
using Edge.Kernels;

namespace Edge.Families.GruAttention;

/// <summary>One stream of a gru-attention model: its flat state and the scratch one step needs, all allocated here, once.</summary>
internal sealed class GruAttentionSession : IStepSession
{
    private readonly GruAttentionModel _model;
    private readonly float[] _state;    // the f32 entries: h, then (windowed) the ring, ring_fill, ring_next
    private readonly double[] _sums;    // window 0: m, c, a (f64 entries, in layout order after h); else empty
    private readonly float[] _xh;       // [x_l ; h_l] for the fused reset/update product
    private readonly float[] _rz;       // reset then update gates
    private readonly float[] _n;        // candidate
    private readonly float[] _hn;       // W_hn h (+ b_hn), or W_hn (r ⊙ h)
    private readonly float[] _tmp;
    private readonly float[] _score;    // tanh(W_a h + b_a)
    private readonly float[] _headIn;   // [ctx ; h]
    private readonly float[] _y;
    private readonly int _ringAt, _fillAt, _nextAt;   // offsets into _state (windowed)
    private readonly int _floatBytes;                 // bytes of the f32 entries, at the start of the layout

    public GruAttentionSession(GruAttentionModel model)
    {
        _model = model;
        var c = model.Config;
        var layout = model.State;
        if (c.AttentionWindow == 0)
        {
            _floatBytes = layout["m"].ByteOffset;
            _sums = new double[2 + c.Hidden];
        }
        else
        {
            (_ringAt, _fillAt, _nextAt) = (layout["ring"].Offset, layout["ring_fill"].Offset, layout["ring_next"].Offset);
            _floatBytes = layout.Bytes;
            _sums = [];
        }
        _state = new float[_floatBytes / sizeof(float)];
        _xh = new float[Math.Max(c.InputDim, c.Hidden) + c.Hidden];
        _rz = new float[2 * c.Hidden];
        _n = new float[c.Hidden];
        _hn = new float[c.Hidden];
        _tmp = new float[c.Hidden];
        _score = new float[c.AttnDim];
        _headIn = new float[2 * c.Hidden];
        _y = new float[c.OutputDim];
    }

    public void Reset() => WriteRaw(_model.InitialState);

    public void ReadState(Span<byte> destination)
    {
        MemoryMarshal.AsBytes(_state.AsSpan()).CopyTo(destination);
        MemoryMarshal.AsBytes(_sums.AsSpan()).CopyTo(destination[_floatBytes..]);
    }

    public void WriteState(ReadOnlySpan<byte> bytes)
    {
        int window = _model.Config.AttentionWindow;
        if (window > 0)
        {
            var source = MemoryMarshal.Cast<byte, float>(bytes);
            float fill = source[_fillAt], next = source[_nextAt];
            if (!(fill >= 0 && fill <= window && next >= 0 && next < window && fill == MathF.Floor(fill) && next == MathF.Floor(next)))
                throw new EdgeException(EdgeErrorCode.InvalidState, $"ring_fill {fill} / ring_next {next} do not fit a window of {window}; the state is corrupt.");
        }
        else
        {
            var sums = MemoryMarshal.Cast<byte, double>(bytes[_floatBytes..]);
            double m = sums[0], c = sums[1];
            bool empty = c == 0 && double.IsNegativeInfinity(m);
            bool used = c >= 1 && double.IsFinite(c) && double.IsFinite(m);
            if (!empty && !used)
                throw new EdgeException(EdgeErrorCode.InvalidState,
                    $"gru-attention state: m = {m}, c = {c}; c must be 0 with m = −∞ (no step yet) or at least 1 with m finite. The state is corrupt.");
        }
        WriteRaw(bytes);
    }

    private void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        bytes[.._floatBytes].CopyTo(MemoryMarshal.AsBytes(_state.AsSpan()));
        bytes[_floatBytes..].CopyTo(MemoryMarshal.AsBytes(_sums.AsSpan()));
    }

    public void Step(ReadOnlySpan<float> input, Span<float> output)
    {
        var c = _model.Config;
        int hd = c.Hidden;
        Span<float> state = _state;

        // x0 = (x − mean) / std, written where layer 0 reads its input.
        Elementwise.Subtract(input, c.InputMean, _xh.AsSpan(0, c.InputDim));
        Elementwise.Divide(_xh.AsSpan(0, c.InputDim), c.InputStd, _xh.AsSpan(0, c.InputDim));

        for (int l = 0; l < c.Layers; l++)
        {
            var w = _model.Layers[l];
            Span<float> h = state.Slice(l * hd, hd);
            if (l > 0) state.Slice((l - 1) * hd, hd).CopyTo(_xh);
            h.CopyTo(_xh.AsSpan(w.Input, hd));
            ReadOnlySpan<float> xh = _xh.AsSpan(0, w.Input + hd);
            ReadOnlySpan<float> x = _xh.AsSpan(0, w.Input);

            w.ResetUpdate.MultiplyAddBias(xh, w.ResetUpdateBias, _rz);
            Sigmoid.Apply(_rz, _rz);
            ReadOnlySpan<float> r = _rz.AsSpan(0, hd), z = _rz.AsSpan(hd, hd);

            w.CandidateInput.MultiplyAddBias(x, w.CandidateInputBias, _n);
            if (c.LinearBeforeReset)
            {
                w.CandidateHidden.MultiplyAddBias(h, w.CandidateHiddenBias, _hn);
                Elementwise.MultiplyAdd(r, _hn, _n, _n);             // n = W_in x + b_in + r ⊙ (W_hn h + b_hn)
            }
            else
            {
                Elementwise.Multiply(r, h, _tmp);
                w.CandidateHidden.MultiplyAddBias(_tmp, w.CandidateHiddenBias, _hn);
                Elementwise.Add(_n, _hn, _n);                        // n = W_in x + b_in + W_hn (r ⊙ h) + b_hn
            }
            Tanh.Apply(_n, _n);
            Elementwise.Subtract(h, _n, _tmp);
            Elementwise.MultiplyAdd(z, _tmp, _n, h);                 // h' = n + z ⊙ (h − n) = (1 − z) ⊙ n + z ⊙ h
        }

        Span<float> top = state.Slice((c.Layers - 1) * hd, hd);
        _model.AttnProj.MultiplyAddBias(top, _model.AttnBias, _score);
        Tanh.Apply(_score, _score);
        float e = Elementwise.Dot(_model.AttnContext, _score);

        Attend(top, e, _headIn.AsSpan(0, hd));
        top.CopyTo(_headIn.AsSpan(hd));

        _model.HeadWeight.MultiplyAddBias(_headIn, _model.HeadBias, _y);
        Elementwise.MultiplyAdd(_y, c.OutputStd, c.OutputMean, output);
    }

    /// <summary>The f32 part of the state: the GRU's h for each layer first (then the ring, when windowed).</summary>
    internal Span<float> State => _state;

    /// <summary>Adds the top layer's new <paramref name="h"/> with score <paramref name="e"/> to the attention state and writes the context.</summary>
    internal void Attend(ReadOnlySpan<float> h, float e, Span<float> ctx)
    {
        if (_model.Config.AttentionWindow == 0) AttendAll(h, e, ctx);
        else AttendWindow(_state, h, e, ctx);
    }

    // Running softmax over all history in double (RunningSoftmax): m' = max(m, e), c' = c·exp(m − m') + exp(e − m'),
    // a' likewise, ctx = a'/c'.
    private void AttendAll(ReadOnlySpan<float> h, float e, Span<float> ctx)
    {
        var a = _sums.AsSpan(2);
        RunningSoftmax.Add(ref _sums[0], ref _sums[1], a, e, h);
        RunningSoftmax.Average(_sums[1], a, ctx);
    }

    // Softmax over the ring of the last W (h, e) pairs, the current one included.
    private void AttendWindow(Span<float> state, ReadOnlySpan<float> h, float e, Span<float> ctx)
    {
        int hd = h.Length, window = _model.Config.AttentionWindow, row = hd + 1;
        Span<float> ring = state.Slice(_ringAt, window * row);
        ref float fillRef = ref state[_fillAt];
        ref float nextRef = ref state[_nextAt];
        int next = (int)nextRef, fill = (int)fillRef;
        if ((uint)next >= (uint)window || fill < 0 || fill > window)
            throw new EdgeException(EdgeErrorCode.InvalidState, $"ring_next {nextRef} or ring_fill {fillRef} is outside the window of {window}; the state is corrupt.");
        Span<float> slot = ring.Slice(next * row, row);
        h.CopyTo(slot);
        slot[hd] = e;
        fill = Math.Min(fill + 1, window);
        fillRef = fill;
        nextRef = (next + 1) % window;

        float max = float.NegativeInfinity;
        for (int i = 0; i < fill; i++) max = MathF.Max(max, ring[i * row + hd]);
        ctx.Clear();
        float sum = 0;
        for (int i = 0; i < fill; i++)
        {
            float wi = MathF.Exp(ring[i * row + hd] - max);
            sum += wi;
            Elementwise.MultiplyAdd(ring.Slice(i * row, hd), wi, ctx, ctx);
        }
        Elementwise.Divide(ctx, sum, ctx);
    }

    public void Dispose()
    {
    }
}
