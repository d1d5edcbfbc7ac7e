using Edge.Backends;
using Edge.Kernels;
using Edge.Streams;

namespace Edge.Families.Aaren;

/// <summary>
/// One stream of an aaren model: the state <c>m [L,NH]</c>, <c>c [L,NH]</c>, <c>a [L,D]</c> and the scratch
/// one step needs, all allocated here, once. The running sums live in double (see <see cref="RunningSoftmax"/>)
/// and the state layout's entries are f64, so snapshots, forks and state files keep them exactly.
/// </summary>
internal sealed class AarenSession : IStepSession
{
    private readonly AarenModel _model;
    private readonly double[] _m;   // [L, NH]
    private readonly double[] _c;   // [L, NH]
    private readonly double[] _a;   // [L, D]
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

    public void ReadState(Span<byte> destination)
    {
        var layout = _model.State;
        _m.CopyTo(StateLayout.Doubles(destination, layout["m"]));
        _c.CopyTo(StateLayout.Doubles(destination, layout["c"]));
        _a.CopyTo(StateLayout.Doubles(destination, layout["a"]));
    }

    public void WriteState(ReadOnlySpan<byte> source)
    {
        var c = _model.Config;
        var layout = _model.State;
        var m = StateLayout.Doubles(source, layout["m"]);
        var sums = StateLayout.Doubles(source, layout["c"]);
        var a = StateLayout.Doubles(source, layout["a"]);
        for (int i = 0; i < m.Length; i++)
        {
            bool empty = sums[i] == 0 && double.IsNegativeInfinity(m[i]);
            bool used = sums[i] >= 1 && double.IsFinite(sums[i]) && !double.IsNaN(m[i]);
            if (!empty && !used)
                throw new EdgeException(EdgeErrorCode.InvalidState,
                    $"aaren state: layer {i / c.Heads} head {i % c.Heads} has m = {m[i]}, c = {sums[i]}; c must be 0 with m = −∞ (no step yet) or at least 1. The state is corrupt.");
        }
        for (int i = 0; i < a.Length; i++)
        {
            if (!double.IsFinite(a[i]))
                throw new EdgeException(EdgeErrorCode.InvalidState, $"aaren state: a[{i / c.DModel}, {i % c.DModel}] is {a[i]}; the state is corrupt.");
        }
        m.CopyTo(_m);
        sums.CopyTo(_c);
        a.CopyTo(_a);
    }

    public void Step(ReadOnlySpan<float> input, Span<float> output)
    {
        var c = _model.Config;
        Span<float> z = _z, u = _u, vs = _vs, o = _o;

        AarenSublayers.Embed(_model, input, _x0, z);
        for (int l = 0; l < c.Layers; l++)
        {
            var w = _model.Layers[l];
            LayerNorm.Normalize(z, w.Norm1Weight, w.Norm1Bias, c.Eps, u);
            w.ValueScore.MultiplyAddBias(u, w.ValueScoreBias, vs);   // v, then one score per head
            Attend(l, vs, o);
            AarenSublayers.AddAttention(w, o, z);
            AarenSublayers.AddFeedForward(_model, w, z, u, _h);
        }
        AarenSublayers.Readout(_model, z, u, _y, output);
    }

    /// <summary>Layer <paramref name="l"/>'s attention: head by head, adds (score, value) from <paramref name="vs"/> to the running sums and writes their averages to <paramref name="o"/>.</summary>
    internal void Attend(int l, ReadOnlySpan<float> vs, Span<float> o)
    {
        var c = _model.Config;
        int d = c.DModel, nh = c.Heads, dh = c.HeadDim;
        for (int j = 0; j < nh; j++)
        {
            int at = l * nh + j;
            Span<double> a = _a.AsSpan(l * d + j * dh, dh);
            RunningSoftmax.Add(ref _m[at], ref _c[at], a, vs[d + j], vs.Slice(j * dh, dh));
            RunningSoftmax.Average(_c[at], a, o.Slice(j * dh, dh));
        }
    }

    public void Dispose()
    {
    }
}
