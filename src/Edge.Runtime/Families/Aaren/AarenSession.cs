using Edge.Backends;
using Edge.Kernels;

namespace Edge.Families.Aaren;

/// <summary>
/// One stream of an aaren model: the state <c>m [L,NH]</c>, <c>c [L,NH]</c>, <c>a [L,D]</c> and the scratch
/// one step needs, all allocated here, once. The running sums live in double (see <see cref="RunningSoftmax"/>)
/// and are exchanged as float32 in layout order, so a state file holds them to float32 precision.
/// </summary>
internal sealed class AarenSession : IStepSession
{
    private readonly AarenModel _model;
    private readonly double[] _m;   // [L, NH]
    private readonly double[] _c;   // [L, NH]
    private readonly double[] _a;   // [L, D]
    private readonly int _mAt, _cAt, _aAt;
    private readonly float[] _x0;   // normalized input [F]
    private readonly float[] _z;    // residual stream [D]
    private readonly float[] _u;    // normed stream [D]
    private readonly float[] _vs;   // values then scores [D + NH]
    private readonly float[] _o;    // attention output [D]
    private readonly float[] _h;    // feed-forward hidden [Fd]
    private readonly float[] _y;    // head output before scaling [O]

    public AarenSession(AarenModel model)
    {
        _model = model;
        var c = model.Config;
        var layout = model.State;
        (_mAt, _cAt, _aAt) = (layout["m"].Offset, layout["c"].Offset, layout["a"].Offset);
        _m = new double[c.Layers * c.Heads];
        _c = new double[c.Layers * c.Heads];
        _a = new double[c.Layers * c.DModel];
        _x0 = new float[c.InputDim];
        _z = new float[c.DModel];
        _u = new float[c.DModel];
        _vs = new float[c.DModel + c.Heads];
        _o = new float[c.DModel];
        _h = new float[c.FfnDim];
        _y = new float[c.OutputDim];
    }

    public void Reset()
    {
        Array.Fill(_m, double.NegativeInfinity);
        Array.Clear(_c);
        Array.Clear(_a);
    }

    public void ReadState(Span<float> destination)
    {
        for (int i = 0; i < _m.Length; i++) destination[_mAt + i] = (float)_m[i];
        for (int i = 0; i < _c.Length; i++) destination[_cAt + i] = (float)_c[i];
        for (int i = 0; i < _a.Length; i++) destination[_aAt + i] = (float)_a[i];
    }

    public void WriteState(ReadOnlySpan<float> source)
    {
        var c = _model.Config;
        for (int i = 0; i < _m.Length; i++)
        {
            float m = source[_mAt + i], sum = source[_cAt + i];
            bool empty = sum == 0 && float.IsNegativeInfinity(m);
            bool used = sum >= 1 && float.IsFinite(sum) && !float.IsNaN(m);
            if (!empty && !used)
                throw new EdgeException(EdgeErrorCode.InvalidState,
                    $"aaren state: layer {i / c.Heads} head {i % c.Heads} has m = {m}, c = {sum}; c must be 0 with m = −∞ (no step yet) or at least 1. The state is corrupt.");
        }
        for (int i = 0; i < _a.Length; i++)
        {
            if (!float.IsFinite(source[_aAt + i]))
                throw new EdgeException(EdgeErrorCode.InvalidState, $"aaren state: a[{i / c.DModel}, {i % c.DModel}] is {source[_aAt + i]}; the state is corrupt.");
        }
        for (int i = 0; i < _m.Length; i++) _m[i] = source[_mAt + i];
        for (int i = 0; i < _c.Length; i++) _c[i] = source[_cAt + i];
        for (int i = 0; i < _a.Length; i++) _a[i] = source[_aAt + i];
    }

    public void Step(ReadOnlySpan<float> input, Span<float> output)
    {
        var c = _model.Config;
        int d = c.DModel, nh = c.Heads, dh = c.HeadDim;
        Span<float> z = _z, u = _u, vs = _vs, o = _o;

        AarenSublayers.Embed(_model, input, _x0, z);
        for (int l = 0; l < c.Layers; l++)
        {
            var w = _model.Layers[l];
            LayerNorm.Normalize(z, w.Norm1Weight, w.Norm1Bias, c.Eps, u);
            MatVec.MultiplyAddBias(w.ValueScore, u, w.ValueScoreBias, vs);   // v, then one score per head
            for (int j = 0; j < nh; j++)
            {
                int at = l * nh + j;
                Span<double> a = _a.AsSpan(l * d + j * dh, dh);
                RunningSoftmax.Add(ref _m[at], ref _c[at], a, vs[d + j], vs.Slice(j * dh, dh));
                RunningSoftmax.Average(_c[at], a, o.Slice(j * dh, dh));
            }
            AarenSublayers.AddAttention(w, o, z);
            AarenSublayers.AddFeedForward(_model, w, z, u, _h);
        }
        AarenSublayers.Readout(_model, z, u, _y, output);
    }

    public void Dispose()
    {
    }
}
