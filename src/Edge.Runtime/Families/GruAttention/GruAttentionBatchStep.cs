using Edge.Kernels;
using Edge.Backends;

namespace Edge.Families.GruAttention;

/// <summary>
/// The gru-attention step for a batch of streams: every product runs once over the stacked rows of all streams
/// (<see cref="Kernels.PackedMatrix.MultiplyMany"/>), the elementwise work over the whole stack, and only the
/// attention, which reads each stream's own history, stream by stream. Each stream gets the bits of
/// <see cref="GruAttentionSession.Step"/>.
/// </summary>
internal sealed class GruAttentionBatchStep : IBatchStep
{
    private readonly GruAttentionModel _model;
    private readonly float[] _x;       // [B, in_l]: the layer's input rows
    private readonly float[] _xh;      // [B, in_l + H]: [x ; h] rows for the reset/update product
    private readonly float[] _h;       // [B, H]: the layer's h before the step
    private readonly float[] _hNew;    // [B, H]: the layer's h after it (the next layer's input)
    private readonly float[] _rz;      // [B, 2H]
    private readonly float[] _n;       // [B, H]
    private readonly float[] _hn;      // [B, H]
    private readonly float[] _tmp;     // [B, H]
    private readonly float[] _score;   // [B, A]
    private readonly float[] _headIn;  // [B, 2H]: [ctx ; h]
    private readonly float[] _y;       // [B, out]

    public GruAttentionBatchStep(GruAttentionModel model, int capacity)
    {
        _model = model;
        Capacity = capacity;
        var c = model.Config;
        int input = Math.Max(c.InputDim, c.Hidden), h = c.Hidden;
        _x = new float[capacity * input];
        _xh = new float[capacity * (input + h)];
        _h = new float[capacity * h];
        _hNew = new float[capacity * h];
        _rz = new float[capacity * 2 * h];
        _n = new float[capacity * h];
        _hn = new float[capacity * h];
        _tmp = new float[capacity * h];
        _score = new float[capacity * c.AttnDim];
        _headIn = new float[capacity * 2 * h];
        _y = new float[capacity * c.OutputDim];
    }

    public int Capacity { get; }

    public void Step(ReadOnlySpan<IStepSession> sessions, ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        var c = _model.Config;
        int b = sessions.Length, hd = c.Hidden, a = c.AttnDim;
        Span<float> x = _x.AsSpan(0, b * c.InputDim);
        for (int i = 0; i < b; i++)
        {
            var row = x.Slice(i * c.InputDim, c.InputDim);
            Elementwise.Subtract(inputs.Slice(i * c.InputDim, c.InputDim), c.InputMean, row);
            Elementwise.Divide(row, c.InputStd, row);
        }

        Span<float> h = _h.AsSpan(0, b * hd), hNew = _hNew.AsSpan(0, b * hd);
        Span<float> rz = _rz.AsSpan(0, b * 2 * hd), n = _n.AsSpan(0, b * hd), hn = _hn.AsSpan(0, b * hd), tmp = _tmp.AsSpan(0, b * hd);
        for (int l = 0; l < c.Layers; l++)
        {
            var w = _model.Layers[l];
            int input = w.Input, width = input + hd;
            if (l > 0)
            {
                x = _x.AsSpan(0, b * hd);
                hNew.CopyTo(x);
            }
            Span<float> xh = _xh.AsSpan(0, b * width);
            for (int i = 0; i < b; i++)
            {
                var state = ((GruAttentionSession)sessions[i]).State.Slice(l * hd, hd);
                state.CopyTo(h.Slice(i * hd, hd));
                x.Slice(i * input, input).CopyTo(xh.Slice(i * width, input));
                state.CopyTo(xh.Slice(i * width + input, hd));
            }

            w.ResetUpdate.MultiplyAddBiasMany(xh, w.ResetUpdateBias, rz, b);
            Sigmoid.Apply(rz, rz);
            w.CandidateInput.MultiplyAddBiasMany(x, w.CandidateInputBias, n, b);
            if (c.LinearBeforeReset)
            {
                w.CandidateHidden.MultiplyAddBiasMany(h, w.CandidateHiddenBias, hn, b);
                for (int i = 0; i < b; i++)
                {
                    var ni = n.Slice(i * hd, hd);
                    Elementwise.MultiplyAdd(rz.Slice(i * 2 * hd, hd), hn.Slice(i * hd, hd), ni, ni);
                }
            }
            else
            {
                for (int i = 0; i < b; i++) Elementwise.Multiply(rz.Slice(i * 2 * hd, hd), h.Slice(i * hd, hd), tmp.Slice(i * hd, hd));
                w.CandidateHidden.MultiplyAddBiasMany(tmp, w.CandidateHiddenBias, hn, b);
                Elementwise.Add(n, hn, n);
            }
            Tanh.Apply(n, n);
            Elementwise.Subtract(h, n, tmp);
            for (int i = 0; i < b; i++)
            {
                var hi = hNew.Slice(i * hd, hd);
                Elementwise.MultiplyAdd(rz.Slice(i * 2 * hd + hd, hd), tmp.Slice(i * hd, hd), n.Slice(i * hd, hd), hi);
                hi.CopyTo(((GruAttentionSession)sessions[i]).State.Slice(l * hd, hd));
            }
        }

        Span<float> score = _score.AsSpan(0, b * a), headIn = _headIn.AsSpan(0, b * 2 * hd), y = _y.AsSpan(0, b * c.OutputDim);
        _model.AttnProj.MultiplyAddBiasMany(hNew, _model.AttnBias, score, b);
        Tanh.Apply(score, score);
        for (int i = 0; i < b; i++)
        {
            var top = hNew.Slice(i * hd, hd);
            float e = Elementwise.Dot(_model.AttnContext, score.Slice(i * a, a));
            ((GruAttentionSession)sessions[i]).Attend(top, e, headIn.Slice(i * 2 * hd, hd));
            top.CopyTo(headIn.Slice(i * 2 * hd + hd, hd));
        }
        _model.HeadWeight.MultiplyAddBiasMany(headIn, _model.HeadBias, y, b);
        for (int i = 0; i < b; i++)
            Elementwise.MultiplyAdd(y.Slice(i * c.OutputDim, c.OutputDim), c.OutputStd, c.OutputMean, outputs.Slice(i * c.OutputDim, c.OutputDim));
    }

    public void Dispose()
    {
    }
}
