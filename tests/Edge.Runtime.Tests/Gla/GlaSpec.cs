using System.Text.Json.Nodes;
using Edge.Formats.Safetensors;

namespace Edge.Runtime.Tests.Gla;

/// <summary>
/// A random gla-tts package written the way any outside tool following docs/package-format.md would: the config keys
/// and the tensor names and shapes of models/lina-reference/README.md, float32 safetensors.
/// </summary>
internal sealed class GlaSpec
{
    public int D = 24, Heads = 2, GateRank = 4, ConvSize = 4, EncoderLayers = 1, DecoderLayers = 1, DBlind = 12;
    public int NQuant = 1, NCodebook = 10, TextVocab = 40, TextLayers = 1, TextHeads = 2;
    public float ExpandK = 1f, ExpandV = 2f, GateNormalizer = 16f, Eps = 1e-5f;
    public bool UseShortConv = true, Sinusoidal;
    public Dictionary<string, float[]> Tensors { get; } = new(StringComparer.Ordinal);
    public List<(string Name, int[] Shape)> Order { get; } = [];

    public static GlaSpec Random(int seed, Action<GlaSpec>? edit = null)
    {
        var s = new GlaSpec();
        edit?.Invoke(s);
        s.Fill(new Random(seed));
        return s;
    }

    public JsonObject Config() => new()
    {
        ["d_model"] = D, ["heads"] = Heads, ["expand_k"] = ExpandK, ["expand_v"] = ExpandV, ["gate_low_rank_dim"] = GateRank,
        ["gate_logit_normalizer"] = GateNormalizer, ["use_short_conv"] = UseShortConv, ["conv_size"] = ConvSize,
        ["encoder_layers"] = EncoderLayers, ["decoder_layers"] = DecoderLayers, ["d_blind"] = DBlind,
        ["pos_type"] = Sinusoidal ? "sinusoidal" : "convolutional", ["n_quant"] = NQuant, ["n_codebook"] = NCodebook,
        ["text_vocab"] = TextVocab, ["text_layers"] = TextLayers, ["text_heads"] = TextHeads, ["eps"] = Eps,
    };

    public TestPackage Write(Func<string, bool>? keep = null) =>
        new("gla-tts", Config(), Order.Where(e => keep?.Invoke(e.Name) ?? true).Select(e => new SafetensorsWriter.Entry(e.Name, e.Shape, Tensors[e.Name])).ToList());

    private void Fill(Random rng)
    {
        int d = D, L = NCodebook + 3, hd = d / TextHeads;
        for (int i = 0; i < TextLayers; i++)
        {
            string p = $"txt_encoder.sa.{i}.";
            Linear(rng, p + "tmix.qkv", 3 * d, d, bias: true);
            int rot = hd / 2 / 2;
            Add(p + "tmix.rotary.freqs", [rot], Enumerable.Range(0, rot).Select(k => (float)(1.0 / Math.Pow(10000, 2.0 * k / (hd / 2)))).ToArray());
            SwiGlu(rng, p + "cmix.", d);
            Norm(rng, p + "norm1", d);
            Norm(rng, p + "norm2", d);
        }
        for (int i = 0; i < EncoderLayers; i++) Block(rng, $"attentive_rnn.encoder.{i}.", d);
        for (int i = 0; i < DecoderLayers; i++) Block(rng, $"attentive_rnn.decoder.{i}.", d);
        string c = "attentive_rnn.cross_att.";
        Linear(rng, c + "q", d, d, true);
        Linear(rng, c + "k", d, d, true);
        Linear(rng, c + "v", d, d, true);
        Block(rng, c + "pos_net.", DBlind);
        if (!Sinusoidal)
        {
            Add(c + "pos_embed.embed.weight", [2000, DBlind], Normal(rng, 2000 * DBlind, 1));
            Add(c + "pos_embed.dw_conv.weight", [DBlind, 1, 31], Normal(rng, DBlind * 31, 0.3));
            Add(c + "pos_embed.dw_conv.bias", [DBlind], Normal(rng, DBlind, 0.2));
        }
        Norm(rng, c + "ln_q", d);
        Norm(rng, c + "ln_k", d);
        Norm(rng, c + "ln_v", d);
        Add("txt_embed.weight", [TextVocab, d], Normal(rng, TextVocab * d, 1));
        Add("rvq_embed.weight", [NQuant, L, d], Normal(rng, NQuant * L * d, 1));
        Add("logits_head.weight", [NQuant, L, d], Normal(rng, NQuant * L * d, 1 / Math.Sqrt(d)));
    }

    private void Block(Random rng, string p, int w)
    {
        int kd = (int)(w * ExpandK), vd = (int)(w * ExpandV);
        Linear(rng, p + "tmix.q_proj", kd, w, false);
        Linear(rng, p + "tmix.k_proj", kd, w, false);
        Linear(rng, p + "tmix.v_proj", vd, w, false);
        Linear(rng, p + "tmix.g_proj", vd, w, false);
        Linear(rng, p + "tmix.gk_proj.0", GateRank, w, false);
        Linear(rng, p + "tmix.gk_proj.1", kd, GateRank, true);
        Linear(rng, p + "tmix.o_proj", w, vd, false);
        if (UseShortConv)
        {
            Add(p + "tmix.q_conv1d.weight", [kd, 1, ConvSize], Normal(rng, kd * ConvSize, 0.5));
            Add(p + "tmix.k_conv1d.weight", [kd, 1, ConvSize], Normal(rng, kd * ConvSize, 0.5));
            Add(p + "tmix.v_conv1d.weight", [vd, 1, ConvSize], Normal(rng, vd * ConvSize, 0.5));
        }
        Add(p + "tmix.g_norm_swish_gate.weight", [vd / Heads], Normal(rng, vd / Heads, 0.2, 1));
        SwiGlu(rng, p + "cmix.", w);
        Norm(rng, p + "norm1", w);
        Norm(rng, p + "norm2", w);
    }

    private void SwiGlu(Random rng, string p, int w)
    {
        int f = w * 4 / 3;
        Linear(rng, p + "p_in", 2 * f, w, true);
        Linear(rng, p + "p_out", w, f, true);
    }

    private void Norm(Random rng, string name, int w)
    {
        Add(name + ".weight", [w], Normal(rng, w, 0.2, 1));
        Add(name + ".bias", [w], Normal(rng, w, 0.2));
    }

    private void Linear(Random rng, string name, int rows, int cols, bool bias)
    {
        Add(name + ".weight", [rows, cols], Normal(rng, rows * cols, 1 / Math.Sqrt(cols)));
        if (bias) Add(name + ".bias", [rows], Normal(rng, rows, 0.2));
    }

    private void Add(string name, int[] shape, float[] data)
    {
        Tensors[name] = data;
        Order.Add((name, shape));
    }

    private static float[] Normal(Random rng, int n, double scale, double mean = 0)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++)
        {
            double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
            a[i] = (float)(mean + scale * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return a;
    }
}
