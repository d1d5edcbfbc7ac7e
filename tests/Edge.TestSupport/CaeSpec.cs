using System.Text.Json.Nodes;
using Edge.Formats.Safetensors;

namespace Edge.TestSupport;

/// <summary>A random cae model: config, weights in the reference module's state_dict names, and the package written from them.</summary>
public sealed class CaeSpec
{
    public int F, W, Hop, Z;
    public int[] Channels = [], Kernels = [], Strides = [];
    public float Threshold;
    public float? ErrorClip;
    public float[]? ChannelWeights;
    public float[] InMean = [], InStd = [];
    public Dictionary<string, float[]> Tensors = new();
    public Dictionary<string, int[]> Shapes = new();

    public int E => Channels.Length;

    public static CaeSpec Random(int seed, int f, int w, int hop, int[] channels, int[] kernels, int[] strides, int z, float? clip, bool weighted)
    {
        var rng = new Random(seed);
        var s = new CaeSpec { F = f, W = w, Hop = hop, Z = z, Channels = channels, Kernels = kernels, Strides = strides, ErrorClip = clip };
        int length = w;
        for (int i = 0; i < channels.Length; i++)
        {
            int cin = i == 0 ? f : channels[i - 1];
            float k = 1f / MathF.Sqrt(cin * kernels[i]);
            s.Add($"encoder.{i}.weight", Rand.Uniform(rng, channels[i] * cin * kernels[i], 2 * k), channels[i], cin, kernels[i]);
            s.Add($"encoder.{i}.bias", Rand.Uniform(rng, channels[i], k), channels[i]);
            length /= strides[i];
        }
        int m = channels[^1] * length;
        s.Add("bottleneck.weight", Rand.Uniform(rng, z * m, 2f / MathF.Sqrt(m)), z, m);
        s.Add("bottleneck.bias", Rand.Uniform(rng, z, 0.3f), z);
        s.Add("expand.weight", Rand.Uniform(rng, m * z, 2f / MathF.Sqrt(z)), m, z);
        s.Add("expand.bias", Rand.Uniform(rng, m, 0.3f), m);
        for (int j = 0; j < channels.Length; j++)
        {
            int i = channels.Length - 1 - j, cin = channels[i], cout = i == 0 ? f : channels[i - 1];
            float k = 1f / MathF.Sqrt(cin * kernels[i]);
            s.Add($"decoder.{j}.weight", Rand.Uniform(rng, cin * cout * kernels[i], 2 * k), cin, cout, kernels[i]);
            s.Add($"decoder.{j}.bias", Rand.Uniform(rng, cout, k), cout);
        }
        s.InMean = Rand.Uniform(rng, f, 2f);
        s.InStd = Rand.Positive(rng, f, 0.5f, 3f);
        if (weighted)
        {
            s.ChannelWeights = Rand.Positive(rng, f, 0f, 2f);
            if (f > 1) s.ChannelWeights[0] = 0;   // a feature carried but not scored
        }
        s.Threshold = 0.5f;
        return s;
    }

    /// <summary>The spec of a committed package (model.json config and weights.safetensors), for the reference to run.</summary>
    public static CaeSpec FromPackage(string folder)
    {
        var c = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "model.json")))!["config"]!.AsObject();
        int[] Ints(string k) => c[k]!.AsArray().Select(v => (int)v!).ToArray();
        float[] Floats(string k) => c[k]!.AsArray().Select(v => (float)(double)v!).ToArray();
        var s = new CaeSpec
        {
            F = (int)c["input_dim"]!, W = (int)c["window"]!, Hop = (int)c["hop"]!, Z = (int)c["latent_dim"]!,
            Channels = Ints("channels"), Kernels = Ints("kernels"), Strides = Ints("strides"),
            Threshold = (float)(double)c["threshold"]!,
            ErrorClip = c["error_clip"] is { } clip ? (float)(double)clip : null,
            ChannelWeights = c["channel_weights"] is null ? null : Floats("channel_weights"),
        };
        s.InMean = c["input_mean"] is null ? new float[s.F] : Floats("input_mean");
        s.InStd = c["input_std"] is null ? Enumerable.Repeat(1f, s.F).ToArray() : Floats("input_std");
        using var file = SafetensorsFile.Open(Path.Combine(folder, "weights.safetensors"));
        foreach (var t in file.Tensors)
        {
            s.Tensors[t.Name] = file.ReadFloat32(t);
            s.Shapes[t.Name] = t.Shape.Select(d => (int)d).ToArray();
        }
        return s;
    }

    private void Add(string name, float[] data, params int[] shape)
    {
        Tensors[name] = data;
        Shapes[name] = shape;
    }

    public JsonObject Config()
    {
        var c = new JsonObject
        {
            ["input_dim"] = F, ["window"] = W, ["hop"] = Hop, ["channels"] = Ints(Channels), ["kernels"] = Ints(Kernels),
            ["strides"] = Ints(Strides), ["latent_dim"] = Z, ["threshold"] = Threshold,
            ["input_mean"] = Arr(InMean), ["input_std"] = Arr(InStd),
        };
        if (ErrorClip is { } clip) c["error_clip"] = clip;
        if (ChannelWeights is { } cw) c["channel_weights"] = Arr(cw);
        return c;
    }

    public List<SafetensorsWriter.Entry> Entries() =>
        Tensors.Select(kv => new SafetensorsWriter.Entry(kv.Key, Shapes[kv.Key], kv.Value)).ToList();

    public TestPackage Write() => new("cae", Config(), Entries());

    private static JsonArray Arr(float[] v) => new(v.Select(x => (JsonNode)JsonValue.Create((double)x)!).ToArray());

    private static JsonArray Ints(int[] v) => new(v.Select(x => (JsonNode)JsonValue.Create(x)!).ToArray());
}
