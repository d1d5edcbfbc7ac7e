namespace Edge.Runtime.Tests.Aaren;

/// <summary>
/// Ordinary causal softmax self-attention in double over an aaren spec's weights: step t's query is
/// <c>W_q LN1(z_t) + b_q</c> (the learned query token unused) over the keys and values of steps 0..t.
/// Independent of the runtime's KV-cache baseline.
/// </summary>
internal static class CausalTransformerOracle
{
    public static double[] Run(AarenSpec s, float[] inputs, int steps)
    {
        int f = s.InputDim, d = s.DModel, nh = s.Heads, dh = s.HeadDim, o = s.OutputDim;
        var z = new double[steps][];
        for (int t = 0; t < steps; t++)
        {
            var x0 = new double[f];
            for (int i = 0; i < f; i++) x0[i] = (inputs[t * f + i] - s.InputMean[i]) / s.InputStd[i];
            z[t] = Linear(s, "in_proj", x0);
        }
        for (int l = 0; l < s.Layers; l++)
        {
            string p = $"layers.{l}.";
            var q = new double[steps][];
            var k = new double[steps][];
            var v = new double[steps][];
            for (int t = 0; t < steps; t++)
            {
                var u = Norm(s, p + "norm1", z[t]);
                (q[t], k[t], v[t]) = (Linear(s, p + "attn.q_proj", u), Linear(s, p + "attn.k_proj", u), Linear(s, p + "attn.v_proj", u));
            }
            for (int t = 0; t < steps; t++)
            {
                var att = new double[d];
                for (int j = 0; j < nh; j++)
                {
                    var score = new double[t + 1];
                    for (int r = 0; r <= t; r++)
                    {
                        for (int e = j * dh; e < (j + 1) * dh; e++) score[r] += q[t][e] * k[r][e];
                        score[r] /= Math.Sqrt(dh);
                    }
                    double max = score.Max();
                    double den = score.Sum(x => Math.Exp(x - max));
                    for (int r = 0; r <= t; r++)
                        for (int e = j * dh; e < (j + 1) * dh; e++) att[e] += Math.Exp(score[r] - max) / den * v[r][e];
                }
                var a = Linear(s, p + "attn.o_proj", att);
                for (int i = 0; i < d; i++) z[t][i] += a[i];
                var h = Linear(s, p + "ffn.fc1", Norm(s, p + "norm2", z[t]));
                for (int i = 0; i < h.Length; i++) h[i] = Act(s.Activation, h[i]);
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
        return outputs;
    }

    private static double[] Linear(AarenSpec s, string name, double[] x)
    {
        var (shape, w) = s.Tensors[name + ".weight"];
        var b = s[name + ".bias"];
        var y = new double[shape[0]];
        for (int r = 0; r < shape[0]; r++)
        {
            double acc = b[r];
            for (int c = 0; c < shape[1]; c++) acc += (double)w[r * shape[1] + c] * x[c];
            y[r] = acc;
        }
        return y;
    }

    private static double[] Norm(AarenSpec s, string name, double[] x)
    {
        var w = s[name + ".weight"];
        var b = s[name + ".bias"];
        double mean = x.Average();
        double inv = 1 / Math.Sqrt(x.Average(v => (v - mean) * (v - mean)) + s.Eps);
        return x.Select((v, i) => (v - mean) * inv * w[i] + b[i]).ToArray();
    }

    private static double Act(string name, double x) => name switch
    {
        "silu" => x / (1 + Math.Exp(-x)),
        "relu" => Math.Max(x, 0),
        _ => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))),
    };
}
