namespace Edge.Runtime.Tests.Gla;

/// <summary>
/// An independent double-precision gla-tts written from docs/families/gla-tts.md and models/lina-reference/README.md,
/// over whole sequences. Every GLA layer runs either recurrently (S ← diag(α) S + k vᵀ, o = qᵀ S) or in the
/// parallel form o_t = Σ_{s≤t} (q_t ⊙ Π_{s&lt;u≤t} α_u)ᵀ k_s v_sᵀ + (q_t ⊙ Π_{u≤t} α_u)ᵀ S_0.
/// </summary>
internal sealed class GlaReference(GlaSpec spec, bool parallel)
{
    private readonly Dictionary<string, float[]> _w = spec.Tensors;

    /// <summary>Teacher-forced logits [T][n_quant·L] and the final state (layout order, name → values).</summary>
    public (double[][] Logits, Dictionary<string, double[]> State) Run(int[] textIds, int[][] ids, Dictionary<string, double[]>? initialS = null)
    {
        int d = spec.D, T = ids.Length, L = spec.NCodebook + 3, nq = spec.NQuant;
        var state = new Dictionary<string, double[]>();
        var y = new double[T][];
        for (int t = 0; t < T; t++)
        {
            y[t] = new double[d];
            for (int q = 0; q < nq; q++)
                for (int i = 0; i < d; i++) y[t][i] += _w["rvq_embed.weight"][(q * L + ids[t][q]) * d + i];
        }
        for (int i = 0; i < spec.EncoderLayers; i++) y = Block(y, $"attentive_rnn.encoder.{i}.", $"encoder.{i}", d, initialS?.GetValueOrDefault($"encoder.{i}.S"), state);
        var (K, V, P) = PrepareText(textIds);
        var cross = Cross(y, K, V, P, state);
        for (int t = 0; t < T; t++) for (int i = 0; i < d; i++) y[t][i] += cross[t][i];
        for (int i = 0; i < spec.DecoderLayers; i++) y = Block(y, $"attentive_rnn.decoder.{i}.", $"decoder.{i}", d, initialS?.GetValueOrDefault($"decoder.{i}.S"), state);
        var logits = y.Select(v => Linear(_w["logits_head.weight"], null, v, nq * L)).ToArray();
        return (logits, state);
    }

    private double[][] Block(double[][] x, string p, string statePrefix, int w, double[]? s0, Dictionary<string, double[]> state)
    {
        var h = x.Select(v => LayerNorm(v, p + "norm1")).ToArray();
        var g = Gla(h, p + "tmix.", statePrefix, w, s0, state);
        var x1 = x.Select((v, t) => v.Select((a, i) => a + g[t][i]).ToArray()).ToArray();
        return x1.Select(v => Add(v, SwiGlu(LayerNorm(v, p + "norm2"), p + "cmix.", w))).ToArray();
    }

    private double[][] Gla(double[][] x, string p, string sp, int w, double[]? s0, Dictionary<string, double[]> state)
    {
        int H = spec.Heads, Kd = (int)(w * spec.ExpandK), Vd = (int)(w * spec.ExpandV), Kh = Kd / H, Vh = Vd / H, T = x.Length;
        var q = x.Select(v => Linear(_w[p + "q_proj.weight"], null, v, Kd)).ToArray();
        var k = x.Select(v => Linear(_w[p + "k_proj.weight"], null, v, Kd)).ToArray();
        var v = x.Select(u => Linear(_w[p + "v_proj.weight"], null, u, Vd)).ToArray();
        if (spec.UseShortConv)
        {
            q = Conv(q, p + "q_conv1d.weight", sp + ".conv_q", state);
            k = Conv(k, p + "k_conv1d.weight", sp + ".conv_k", state);
            v = Conv(v, p + "v_conv1d.weight", sp + ".conv_v", state);
        }
        var logDecay = x.Select(u => Linear(_w[p + "gk_proj.1.weight"], _w[p + "gk_proj.1.bias"], Linear(_w[p + "gk_proj.0.weight"], null, u, spec.GateRank), Kd)
            .Select(z => (Math.Min(z, 0) - Math.Log(1 + Math.Exp(-Math.Abs(z)))) / spec.GateNormalizer).ToArray()).ToArray();
        var o = new double[T][];
        for (int t = 0; t < T; t++) o[t] = new double[Vd];
        var S = new double[H * Kh * Vh];
        if (s0 is not null) s0.CopyTo(S, 0);
        double scale = 1 / Math.Sqrt(Kh);
        if (!parallel)
        {
            for (int t = 0; t < T; t++)
                for (int hh = 0; hh < H; hh++)
                    for (int i = 0; i < Kh; i++)
                    {
                        int ki = hh * Kh + i;
                        for (int j = 0; j < Vh; j++)
                        {
                            ref double s = ref S[(hh * Kh + i) * Vh + j];
                            s = Math.Exp(logDecay[t][ki]) * s + k[t][ki] * v[t][hh * Vh + j];
                            o[t][hh * Vh + j] += scale * q[t][ki] * s;
                        }
                    }
        }
        else
        {
            var G = new double[T][];
            for (int t = 0; t < T; t++) G[t] = logDecay[t].Select((a, i) => a + (t > 0 ? G[t - 1][i] : 0)).ToArray();
            for (int t = 0; t < T; t++)
                for (int hh = 0; hh < H; hh++)
                    for (int j = 0; j < Vh; j++)
                    {
                        double sum = 0;
                        for (int i = 0; i < Kh; i++)
                        {
                            int ki = hh * Kh + i;
                            double qi = scale * q[t][ki];
                            for (int s = 0; s <= t; s++) sum += qi * Math.Exp(G[t][ki] - G[s][ki]) * k[s][ki] * v[s][hh * Vh + j];
                            sum += qi * Math.Exp(G[t][ki]) * (s0?[(hh * Kh + i) * Vh + j] ?? 0);
                        }
                        o[t][hh * Vh + j] = sum;
                    }
            for (int hh = 0; hh < H; hh++)
                for (int i = 0; i < Kh; i++)
                    for (int j = 0; j < Vh; j++)
                    {
                        int ki = hh * Kh + i;
                        double sum = Math.Exp(G[T - 1][ki]) * (s0?[(hh * Kh + i) * Vh + j] ?? 0);
                        for (int s = 0; s < T; s++) sum += Math.Exp(G[T - 1][ki] - G[s][ki]) * k[s][ki] * v[s][hh * Vh + j];
                        S[(hh * Kh + i) * Vh + j] = sum;
                    }
        }
        state[sp + ".S"] = S;
        var norm = _w[p + "g_norm_swish_gate.weight"];
        var y = new double[T][];
        for (int t = 0; t < T; t++)
        {
            var gate = Linear(_w[p + "g_proj.weight"], null, x[t], Vd);
            var z = new double[Vd];
            for (int hh = 0; hh < H; hh++)
            {
                double ms = 0;
                for (int j = 0; j < Vh; j++) ms += o[t][hh * Vh + j] * o[t][hh * Vh + j];
                double r = 1 / Math.Sqrt(ms / Vh + spec.Eps);
                for (int j = 0; j < Vh; j++)
                {
                    double gg = gate[hh * Vh + j];
                    z[hh * Vh + j] = o[t][hh * Vh + j] * r * norm[j] * gg / (1 + Math.Exp(-gg));
                }
            }
            y[t] = Linear(_w[p + "o_proj.weight"], null, z, w);
        }
        return y;
    }

    // Causal depthwise conv over [ring ‖ x], window ending at x_t, then SiLU; the final ring is the last taps inputs.
    private double[][] Conv(double[][] x, string weight, string ringName, Dictionary<string, double[]> state)
    {
        int C = x[0].Length, cs = spec.ConvSize, T = x.Length;
        var w = _w[weight];
        var y = new double[T][];
        for (int t = 0; t < T; t++)
        {
            y[t] = new double[C];
            for (int c = 0; c < C; c++)
            {
                double s = 0;
                for (int j = 0; j < cs; j++)
                {
                    int src = t - (cs - 1) + j;
                    if (src >= 0) s += w[c * cs + j] * x[src][c];
                }
                y[t][c] = s / (1 + Math.Exp(-s));
            }
        }
        var ring = new double[C * cs];
        for (int c = 0; c < C; c++)
            for (int j = 0; j < cs; j++)
            {
                int src = T - cs + j;
                ring[c * cs + j] = src >= 0 ? x[src][c] : 0;
            }
        state[ringName] = ring;
        return y;
    }

    private (double[][] K, double[][] V, double[][] P) PrepareText(int[] ids)
    {
        int d = spec.D, J = ids.Length, hd = d / spec.TextHeads;
        var x = ids.Select(id => _w["txt_embed.weight"].AsSpan(id * d, d).ToArray().Select(f => (double)f).ToArray()).ToArray();
        for (int b = 0; b < spec.TextLayers; b++)
        {
            string p = $"txt_encoder.sa.{b}.";
            var qkv = x.Select(v => Linear(_w[p + "tmix.qkv.weight"], _w[p + "tmix.qkv.bias"], LayerNorm(v, p + "norm1"), 3 * d)).ToArray();
            var freqs = _w[p + "tmix.rotary.freqs"];
            for (int t = 0; t < J; t++)
                for (int h = 0; h < spec.TextHeads; h++)
                    for (int part = 0; part < 2; part++)
                        for (int i = 0; i < freqs.Length; i++)
                        {
                            int at = part * d + h * hd + 2 * i;
                            double a = qkv[t][at], c = qkv[t][at + 1], ang = t * (double)freqs[i];
                            qkv[t][at] = a * Math.Cos(ang) - c * Math.Sin(ang);
                            qkv[t][at + 1] = c * Math.Cos(ang) + a * Math.Sin(ang);
                        }
            var nx = new double[J][];
            for (int t = 0; t < J; t++)
            {
                nx[t] = (double[])x[t].Clone();
                for (int h = 0; h < spec.TextHeads; h++)
                {
                    var s = new double[J];
                    for (int u = 0; u < J; u++)
                    {
                        for (int i = 0; i < hd; i++) s[u] += qkv[t][h * hd + i] * qkv[u][d + h * hd + i];
                        s[u] /= Math.Sqrt(hd);
                    }
                    var a = SoftmaxOf(s);
                    for (int u = 0; u < J; u++)
                        for (int i = 0; i < hd; i++) nx[t][h * hd + i] += a[u] * qkv[u][2 * d + h * hd + i];
                }
            }
            x = nx.Select(v => Add(v, SwiGlu(LayerNorm(v, p + "norm2"), p + "cmix.", d))).ToArray();
        }
        string cp = "attentive_rnn.cross_att.";
        var K = x.Select(v => LayerNorm(Linear(_w[cp + "k.weight"], _w[cp + "k.bias"], v, d), cp + "ln_k")).ToArray();
        var V = x.Select(v => LayerNorm(Linear(_w[cp + "v.weight"], _w[cp + "v.bias"], v, d), cp + "ln_v")).ToArray();
        int db = spec.DBlind;
        var P = new double[J][];
        for (int t = 0; t < J; t++)
        {
            P[t] = new double[db];
            if (spec.Sinusoidal)
            {
                for (int i = 0; i < db / 2; i++)
                {
                    double theta = t * Math.Pow(10000, -2.0 * i / db);
                    P[t][i] = Math.Sin(theta);
                    P[t][db / 2 + i] = Math.Cos(theta);
                }
            }
            else
            {
                for (int c = 0; c < db; c++)
                {
                    double s = _w[cp + "pos_embed.dw_conv.bias"][c];
                    for (int tap = 0; tap < 31; tap++)
                    {
                        int src = t + tap - 15;
                        if (src >= 0 && src < J) s += _w[cp + "pos_embed.dw_conv.weight"][c * 31 + tap] * _w[cp + "pos_embed.embed.weight"][src * db + c];
                    }
                    P[t][c] = s;
                }
            }
        }
        return (K, V, P);
    }

    private double[][] Cross(double[][] y, double[][] K, double[][] V, double[][] P, Dictionary<string, double[]> state)
    {
        int d = spec.D, db = spec.DBlind, J = K.Length;
        string cp = "attentive_rnn.cross_att.";
        var z = y.Select(v =>
        {
            var qv = LayerNorm(Linear(_w[cp + "q.weight"], _w[cp + "q.bias"], v, d), cp + "ln_q");
            var a1 = SoftmaxOf(K.Select(kr => Dot(kr, qv) / Math.Sqrt(d)).ToArray());
            var zz = new double[db];
            for (int j = 0; j < J; j++) for (int i = 0; i < db; i++) zz[i] += a1[j] * P[j][i];
            return zz;
        }).ToArray();
        z = Block(z, cp + "pos_net.", "pos_net", db, null, state);
        return z.Select(zz =>
        {
            var a2 = SoftmaxOf(P.Select(pr => Dot(pr, zz) / Math.Sqrt(db)).ToArray());
            var o = new double[d];
            for (int j = 0; j < J; j++) for (int i = 0; i < d; i++) o[i] += a2[j] * V[j][i];
            return o;
        }).ToArray();
    }

    private double[] SwiGlu(double[] x, string p, int w)
    {
        int f = w * 4 / 3;
        var h = Linear(_w[p + "p_in.weight"], _w[p + "p_in.bias"], x, 2 * f);
        var a = new double[f];
        for (int i = 0; i < f; i++) a[i] = h[i] / (1 + Math.Exp(-h[i])) * h[f + i];
        return Linear(_w[p + "p_out.weight"], _w[p + "p_out.bias"], a, w);
    }

    private double[] LayerNorm(double[] x, string name)
    {
        double mean = x.Average(), var = x.Average(v => (v - mean) * (v - mean));
        var w = _w[name + ".weight"]; var b = _w[name + ".bias"];
        return x.Select((v, i) => (v - mean) / Math.Sqrt(var + spec.Eps) * w[i] + b[i]).ToArray();
    }

    private static double[] Linear(float[] w, float[]? b, double[] x, int rows)
    {
        int cols = x.Length;
        var y = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            double s = b?[r] ?? 0;
            for (int c = 0; c < cols; c++) s += w[r * cols + c] * x[c];
            y[r] = s;
        }
        return y;
    }

    private static double[] SoftmaxOf(double[] s)
    {
        double m = s.Max();
        var e = s.Select(v => Math.Exp(v - m)).ToArray();
        double z = e.Sum();
        return e.Select(v => v / z).ToArray();
    }

    private static double Dot(double[] a, double[] b) => a.Select((v, i) => v * b[i]).Sum();

    private static double[] Add(double[] a, double[] b) => a.Select((v, i) => v + b[i]).ToArray();
}
