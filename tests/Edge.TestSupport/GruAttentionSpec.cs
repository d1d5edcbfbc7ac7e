using System.Text.Json.Nodes;
using Edge.Formats.Safetensors;

namespace Edge.TestSupport;

/// <summary>A random gru-attention model: sizes, weights in PyTorch names, and the package written from them.</summary>
public sealed class GruAttentionSpec
{
    public int F, H, L, A, O, W;
    public bool LinearBeforeReset;
    public Dictionary<string, float[]> Tensors = new();
    public Dictionary<string, int[]> Shapes = new();
    public float[] InMean = [], InStd = [], OutMean = [], OutStd = [];

    public static GruAttentionSpec Random(int seed, int f, int h, int l, int a, int o, int w, bool lbr)
    {
        var rng = new Random(seed);
        var s = new GruAttentionSpec { F = f, H = h, L = l, A = a, O = o, W = w, LinearBeforeReset = lbr };
        float k = 1f / MathF.Sqrt(h);
        for (int layer = 0; layer < l; layer++)
        {
            int input = layer == 0 ? f : h;
            s.Add($"gru.weight_ih_l{layer}", Rand.Uniform(rng, 3 * h * input, k), 3 * h, input);
            s.Add($"gru.weight_hh_l{layer}", Rand.Uniform(rng, 3 * h * h, k), 3 * h, h);
            s.Add($"gru.bias_ih_l{layer}", Rand.Uniform(rng, 3 * h, k), 3 * h);
            s.Add($"gru.bias_hh_l{layer}", Rand.Uniform(rng, 3 * h, k), 3 * h);
        }
        s.Add("attn.proj.weight", Rand.Uniform(rng, a * h, 1f), a, h);
        s.Add("attn.proj.bias", Rand.Uniform(rng, a, 0.5f), a);
        s.Add("attn.context", Rand.Uniform(rng, a, 2f), a);
        s.Add("head.weight", Rand.Uniform(rng, o * 2 * h, k), o, 2 * h);
        s.Add("head.bias", Rand.Uniform(rng, o, 0.1f), o);
        s.InMean = Rand.Uniform(rng, f, 3f);
        s.InStd = Rand.Positive(rng, f, 0.5f, 4f);
        s.OutMean = Rand.Uniform(rng, o, 2f);
        s.OutStd = Rand.Positive(rng, o, 0.5f, 3f);
        return s;
    }

    private void Add(string name, float[] data, params int[] shape)
    {
        Tensors[name] = data;
        Shapes[name] = shape;
    }

    public JsonObject Config() => new()
    {
        ["input_dim"] = F, ["hidden"] = H, ["layers"] = L, ["attn_dim"] = A, ["output_dim"] = O,
        ["attention_window"] = W, ["linear_before_reset"] = LinearBeforeReset,
        ["input_mean"] = Arr(InMean), ["input_std"] = Arr(InStd), ["output_mean"] = Arr(OutMean), ["output_std"] = Arr(OutStd),
    };

    public List<SafetensorsWriter.Entry> Entries(Func<string, bool>? keep = null) =>
        Tensors.Where(kv => keep?.Invoke(kv.Key) ?? true).Select(kv => new SafetensorsWriter.Entry(kv.Key, Shapes[kv.Key], kv.Value)).ToList();

    public TestPackage Write() => new("gru-attention", Config(), Entries());

    private static JsonArray Arr(float[] v) => new(v.Select(x => (JsonNode)JsonValue.Create((double)x)!).ToArray());
}
