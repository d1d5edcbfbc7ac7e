namespace Edge.TestSupport;

/// <summary>
/// The cae family in double precision, written from models/laser-detector/README.md with the README's own
/// index arithmetic (channel-major windows, Conv1d and ConvTranspose1d as sums over taps), sharing nothing
/// with the runtime's position-major kernels.
/// </summary>
public sealed class CaeReference
{
    private readonly CaeSpec _s;
    private readonly double[][] _ring;   // [W][F], normalised
    private int _fill, _next, _phase;
    private double _score;

    public CaeReference(CaeSpec spec)
    {
        _s = spec;
        _ring = Enumerable.Range(0, spec.W).Select(_ => new double[spec.F]).ToArray();
    }

    public double Score => _score;
    public int Fill => _fill;
    public int Next => _next;
    public int Phase => _phase;
    public double[][] Ring => _ring;

    /// <summary>One step; returns [score, flag].</summary>
    public double[] Step(ReadOnlySpan<float> x)
    {
        int f = _s.F, w = _s.W;
        for (int k = 0; k < f; k++) _ring[_next][k] = ((double)x[k] - _s.InMean[k]) / _s.InStd[k];
        _next = (_next + 1) % w;
        _fill = Math.Min(_fill + 1, w);
        if (_fill < w)
        {
            _score = 0;
            _phase = 0;
        }
        else
        {
            if (_phase == 0)
            {
                var window = new double[f, w];
                for (int t = 0; t < w; t++)
                    for (int k = 0; k < f; k++) window[k, t] = _ring[(_next + t) % w][k];
                _score = WindowScore(window);
            }
            _phase = (_phase + 1) % _s.Hop;
        }
        return [_score, _score > _s.Threshold ? 1 : 0];
    }

    /// <summary>The README's score of one normalised window X [F, W] (column t = t-th oldest sample).</summary>
    public double WindowScore(double[,] x)
    {
        int e = _s.E;
        var h = x;
        for (int i = 0; i < e; i++)
            h = Relu(Conv1d(h, _s.Tensors[$"encoder.{i}.weight"], _s.Tensors[$"encoder.{i}.bias"], _s.Channels[i], _s.Kernels[i], _s.Strides[i]));
        int c = h.GetLength(0), l = h.GetLength(1), m = c * l;
        var flat = new double[m];
        for (int ch = 0; ch < c; ch++)
            for (int j = 0; j < l; j++) flat[ch * l + j] = h[ch, j];
        var zv = Linear(_s.Tensors["bottleneck.weight"], _s.Tensors["bottleneck.bias"], flat, _s.Z);
        var ex = Linear(_s.Tensors["expand.weight"], _s.Tensors["expand.bias"], zv, m);
        var g = new double[c, l];
        for (int ch = 0; ch < c; ch++)
            for (int j = 0; j < l; j++) g[ch, j] = Math.Max(0, ex[ch * l + j]);
        for (int j = 0; j < e; j++)
        {
            int i = e - 1 - j, cout = i == 0 ? _s.F : _s.Channels[i - 1];
            g = ConvTranspose1d(g, _s.Tensors[$"decoder.{j}.weight"], _s.Tensors[$"decoder.{j}.bias"], cout, _s.Kernels[i], _s.Strides[i]);
            if (j < e - 1) g = Relu(g);
        }
        double clip = _s.ErrorClip ?? double.PositiveInfinity, sum = 0;
        int f = _s.F, w = _s.W;
        for (int k = 0; k < f; k++)
        {
            double weight = _s.ChannelWeights?[k] ?? 1.0;
            for (int t = 0; t < w; t++)
            {
                double d = x[k, t] - g[k, t];
                sum += weight * Math.Min(d * d, clip);
            }
        }
        return sum / (f * w);
    }

    // y[o, j] = b[o] + Σ_c Σ_u w[o, c, u] · x[c, j·s + u − p], zeros outside.
    private static double[,] Conv1d(double[,] x, float[] w, float[] b, int cout, int k, int s)
    {
        int cin = x.GetLength(0), len = x.GetLength(1), p = (k - 1) / 2, outLen = len / s;
        var y = new double[cout, outLen];
        for (int o = 0; o < cout; o++)
            for (int j = 0; j < outLen; j++)
            {
                double acc = b[o];
                for (int c = 0; c < cin; c++)
                    for (int u = 0; u < k; u++)
                    {
                        int at = j * s + u - p;
                        if (at >= 0 && at < len) acc += (double)w[(o * cin + c) * k + u] * x[c, at];
                    }
                y[o, j] = acc;
            }
        return y;
    }

    // y[o, j] = b[o] + Σ_c Σ_{(l, u): l·s + u − p = j} w[c, o, u] · x[c, l], j = 0..L·s − 1.
    private static double[,] ConvTranspose1d(double[,] x, float[] w, float[] b, int cout, int k, int s)
    {
        int cin = x.GetLength(0), len = x.GetLength(1), p = (k - 1) / 2, outLen = len * s;
        var y = new double[cout, outLen];
        for (int o = 0; o < cout; o++)
            for (int j = 0; j < outLen; j++) y[o, j] = b[o];
        for (int c = 0; c < cin; c++)
            for (int l = 0; l < len; l++)
                for (int u = 0; u < k; u++)
                {
                    int j = l * s + u - p;
                    if (j < 0 || j >= outLen) continue;
                    for (int o = 0; o < cout; o++) y[o, j] += (double)w[(c * cout + o) * k + u] * x[c, l];
                }
        return y;
    }

    private static double[] Linear(float[] w, float[] b, double[] x, int rows)
    {
        var y = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            double acc = b[r];
            for (int c = 0; c < x.Length; c++) acc += (double)w[r * x.Length + c] * x[c];
            y[r] = acc;
        }
        return y;
    }

    private static double[,] Relu(double[,] x)
    {
        var y = (double[,])x.Clone();
        for (int i = 0; i < y.GetLength(0); i++)
            for (int j = 0; j < y.GetLength(1); j++) y[i, j] = Math.Max(0, y[i, j]);
        return y;
    }
}
