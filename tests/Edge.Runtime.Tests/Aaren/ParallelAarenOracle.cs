namespace Edge.Runtime.Tests.Aaren;

/// <summary>
/// An independent implementation of the aaren PARALLEL form, in double: for every step t and layer, each
/// head's output is ordinary softmax attention of the constant query over the keys and values of steps
/// 0..t, computed from scratch (max over the prefix, sum of exponentials, weighted sum). No running sums,
/// no code shared with the runtime. O(T²) per layer, so it suits a few thousand steps.
/// </summary>
internal static class ParallelAarenOracle
{
    /// <summary>Outputs <c>[T, O]</c> and the state the recurrent form should hold after the last step.</summary>
    public static (double[] Outputs, double[] M, double[] C, double[] A) Run(AarenSpec s, float[] inputs, int steps)
    {
        int f = s.InputDim, d = s.DModel, nh = s.Heads, dh = s.HeadDim, o = s.OutputDim;
        var z = new double[steps][];
        for (int t = 0; t < steps; t++)
        {
            var x0 = new double[f];
            for (int i = 0; i < f; i++) x0[i] = (inputs[t * f + i] - s.InputMean[i]) / s.InputStd[i];
            z[t] = Linear(s, "in_proj", x0);
        }
        var mOut = new double[s.Layers * nh];
        var cOut = new double[s.Layers * nh];
        var aOut = new double[s.Layers * d];
        for (int l = 0; l < s.Layers; l++)
        {
            string p = $"layers.{l}.";
            var q = Linear(s, p + "attn.q_proj", s[p + "query"].Select(v => (double)v).ToArray());
            var v = new double[steps * d];
            var score = new double[nh * steps];   // head-major, so a head's prefix is contiguous
            for (int t = 0; t < steps; t++)
            {
                var u = Norm(s, p + "norm1", z[t]);
                var k = Linear(s, p + "attn.k_proj", u);
                Linear(s, p + "attn.v_proj", u).CopyTo(v, t * d);
                for (int j = 0; j < nh; j++)
                {
                    double dot = 0;
                    for (int e = j * dh; e < (j + 1) * dh; e++) dot += q[e] * k[e];
                    score[j * steps + t] = dot / Math.Sqrt(dh);
                }
            }
            var att = new double[d];
            var num = new double[dh];
            for (int t = 0; t < steps; t++)
            {
                for (int j = 0; j < nh; j++)
                {
                    var sj = score.AsSpan(j * steps, t + 1);
                    double max = double.NegativeInfinity;
                    foreach (double x in sj) max = Math.Max(max, x);
                    double den = 0;
                    Array.Clear(num);
                    for (int r = 0; r <= t; r++)
                    {
                        double w = Math.Exp(sj[r] - max);
                        den += w;
                        int at = r * d + j * dh;
                        for (int e = 0; e < dh; e++) num[e] += w * v[at + e];
                    }
                    for (int e = 0; e < dh; e++) att[j * dh + e] = num[e] / den;
                    if (t == steps - 1)
                    {
                        mOut[l * nh + j] = max;
                        cOut[l * nh + j] = den;
                        for (int e = 0; e < dh; e++) aOut[l * d + j * dh + e] = num[e];
                    }
                }
                var attnOut = Linear(s, p + "attn.o_proj", att);
                for (int i = 0; i < d; i++) z[t][i] += attnOut[i];
                var h = Linear(s, p + "ffn.fc1", Norm(s, p + "norm2", z[t]));
                for (int i = 0; i < h.Length; i++) h[i] = Activation(s.Activation, h[i]);
                var ffn = Linear(s, p + "ffn.fc2", h);
                for (int i = 0; i < d; i++) z[t][i] += ffn[i];
            }
        }
        var outputs = new double[steps * o];
        for (int t = 0; t < steps; t++)
        {
            var y = Linear(s, "head", Norm(s, "norm_f", z[t]));
            for (int i = 0; i < o; i++) outputs[t * o + i] = y[i] * s.OutputStd[i] + s.OutputMean[i];
        }
        return (outputs, mOut, cOut, aOut);
    }

    private static double[] Linear(AarenSpec s, string name, double[] x)
    {
        var (shape, w) = s.Tensors[name + ".weight"];
        var b = s[name + ".bias"];
        int rows = shape[0], cols = shape[1];
        var y = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            double acc = b[r];
            for (int c = 0; c < cols; c++) acc += (double)w[r * cols + c] * x[c];
            y[r] = acc;
        }
        return y;
    }

    private static double[] Norm(AarenSpec s, string name, double[] x)
    {
        var w = s[name + ".weight"];
        var b = s[name + ".bias"];
        double mean = x.Average();
        double var = x.Select(v => (v - mean) * (v - mean)).Average();
        double inv = 1 / Math.Sqrt(var + s.Eps);
        return x.Select((v, i) => (v - mean) * inv * w[i] + b[i]).ToArray();
    }

    private static double Activation(string name, double x) => name switch
    {
        "silu" => x / (1 + Math.Exp(-x)),
        "relu" => Math.Max(x, 0),
        _ => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))),
    };
}
