namespace Edge.TestSupport;

/// <summary>
/// An independent implementation of docs/families/gru-attention.md in double precision, written straight from the
/// equations: separate input and hidden products per gate, no fused matrices, a plain list for the window.
/// </summary>
public sealed class GruAttentionReference
{
    private readonly GruAttentionSpec _s;
    private readonly double[][] _h;
    private double _m = double.NegativeInfinity, _c;
    private readonly double[] _a;
    private readonly List<(double[] H, double E)> _window = new();

    public GruAttentionReference(GruAttentionSpec spec)
    {
        _s = spec;
        _h = Enumerable.Range(0, spec.L).Select(_ => new double[spec.H]).ToArray();
        _a = new double[spec.H];
    }

    private double[] Linear(string w, string? b, double[] x, int rowStart, int rows)
    {
        var W = _s.Tensors[w];
        int cols = x.Length;
        var y = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            double acc = b is null ? 0 : _s.Tensors[b][rowStart + r];
            for (int c = 0; c < cols; c++) acc += W[(rowStart + r) * cols + c] * x[c];
            y[r] = acc;
        }
        return y;
    }

    private static double Sig(double v) => 1 / (1 + Math.Exp(-v));

    public double[] Step(float[] input)
    {
        int H = _s.H;
        var x = new double[_s.F];
        for (int i = 0; i < _s.F; i++) x[i] = (input[i] - _s.InMean[i]) / _s.InStd[i];
        for (int l = 0; l < _s.L; l++)
        {
            var h = _h[l];
            string wi = $"gru.weight_ih_l{l}", wh = $"gru.weight_hh_l{l}", bi = $"gru.bias_ih_l{l}", bh = $"gru.bias_hh_l{l}";
            var ir = Linear(wi, bi, x, 0, H); var hr = Linear(wh, bh, h, 0, H);
            var iz = Linear(wi, bi, x, H, H); var hz = Linear(wh, bh, h, H, H);
            var inn = Linear(wi, bi, x, 2 * H, H);
            var r = new double[H]; var z = new double[H];
            for (int j = 0; j < H; j++) { r[j] = Sig(ir[j] + hr[j]); z[j] = Sig(iz[j] + hz[j]); }
            double[] hn;
            if (_s.LinearBeforeReset)
            {
                hn = Linear(wh, bh, h, 2 * H, H);
                for (int j = 0; j < H; j++) hn[j] *= r[j];
            }
            else
            {
                var rh = new double[H];
                for (int j = 0; j < H; j++) rh[j] = r[j] * h[j];
                hn = Linear(wh, bh, rh, 2 * H, H);
            }
            var hNew = new double[H];
            for (int j = 0; j < H; j++)
            {
                double n = Math.Tanh(inn[j] + hn[j]);
                hNew[j] = (1 - z[j]) * n + z[j] * h[j];
            }
            _h[l] = hNew;
            x = hNew;
        }
        var top = _h[_s.L - 1];
        var proj = Linear("attn.proj.weight", "attn.proj.bias", top, 0, _s.A);
        double e = 0;
        for (int i = 0; i < _s.A; i++) e += _s.Tensors["attn.context"][i] * Math.Tanh(proj[i]);

        var ctx = new double[H];
        if (_s.W == 0)
        {
            double mNew = Math.Max(_m, e);
            double keep = Math.Exp(_m - mNew), w = Math.Exp(e - mNew);
            _c = _c * keep + w;
            for (int j = 0; j < H; j++) { _a[j] = _a[j] * keep + top[j] * w; ctx[j] = _a[j] / _c; }
            _m = mNew;
        }
        else
        {
            _window.Add(((double[])top.Clone(), e));
            if (_window.Count > _s.W) _window.RemoveAt(0);
            double max = _window.Max(p => p.E), sum = _window.Sum(p => Math.Exp(p.E - max));
            foreach (var (hh, ee) in _window)
                for (int j = 0; j < H; j++) ctx[j] += hh[j] * Math.Exp(ee - max) / sum;
        }
        var cat = ctx.Concat(top).ToArray();
        var y = Linear("head.weight", "head.bias", cat, 0, _s.O);
        for (int o = 0; o < _s.O; o++) y[o] = y[o] * _s.OutStd[o] + _s.OutMean[o];
        return y;
    }
}
