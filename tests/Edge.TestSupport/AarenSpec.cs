using System.Text.Json;
using Edge.Formats.Safetensors;

namespace Edge.TestSupport;

/// <summary>
/// An aaren model described the way docs/families/aaren.md does (config keys, tensor names and shapes), with
/// random weights; writes itself as a package (model.json + weights.safetensors) like any outside tool would.
/// </summary>
public sealed class AarenSpec
{
    public int InputDim, DModel, Heads, Layers, FfnDim, OutputDim;
    public string Activation = "gelu_tanh";
    public double Eps = 1e-5;
    public double[] InputMean = [], InputStd = [], OutputMean = [], OutputStd = [];
    public readonly Dictionary<string, (int[] Shape, float[] Data)> Tensors = new(StringComparer.Ordinal);

    public int HeadDim => DModel / Heads;

    public float[] this[string name] => Tensors[name].Data;

    /// <summary>Random sizes (1 to 8 heads, odd widths included), weights and normalization, from a seed.</summary>
    public static AarenSpec Random(int seed, int? heads = null, int? layers = null, string? activation = null)
    {
        var rng = new Random(seed);
        int nh = heads ?? rng.Next(1, 9);
        // D ≥ 4: LayerNorm over 2 channels is a sign function, so ill-conditioned that a one-ulp change of a
        // float32 input moves the exact output by 1.5e-4 (measured); no float32 implementation can promise 1e-4 there.
        int dh = Math.Max(new[] { 1, 2, 3, 4, 5, 8 }[rng.Next(6)], (4 + nh - 1) / nh);
        var s = new AarenSpec
        {
            InputDim = rng.Next(1, 7),
            Heads = nh,
            DModel = nh * dh,
            Layers = layers ?? rng.Next(1, 3),
            FfnDim = rng.Next(1, 65),
            OutputDim = rng.Next(1, 4),
            Activation = activation ?? new[] { "gelu_tanh", "silu", "relu" }[rng.Next(3)],
            Eps = rng.Next(2) == 0 ? 1e-5 : 1e-6,
        };
        s.InputMean = Enumerable.Range(0, s.InputDim).Select(_ => rng.NextDouble() * 4 - 2).ToArray();
        s.InputStd = Enumerable.Range(0, s.InputDim).Select(_ => 0.5 + rng.NextDouble() * 2.5).ToArray();
        s.OutputMean = Enumerable.Range(0, s.OutputDim).Select(_ => rng.NextDouble() * 4 - 2).ToArray();
        s.OutputStd = Enumerable.Range(0, s.OutputDim).Select(_ => 0.5 + rng.NextDouble() * 1.5).ToArray();
        s.FillRandomWeights(rng);
        return s;
    }

    private void FillRandomWeights(Random rng)
    {
        int d = DModel;
        Linear(rng, "in_proj", d, InputDim);
        for (int l = 0; l < Layers; l++)
        {
            string p = $"layers.{l}.";
            Norm(rng, p + "norm1", d);
            Add(p + "query", [d], Gauss(rng, d, 1.0));
            foreach (var n in new[] { "q_proj", "k_proj", "v_proj", "o_proj" }) Linear(rng, p + "attn." + n, d, d);
            Norm(rng, p + "norm2", d);
            Linear(rng, p + "ffn.fc1", FfnDim, d);
            Linear(rng, p + "ffn.fc2", d, FfnDim);
        }
        Norm(rng, "norm_f", d);
        Linear(rng, "head", OutputDim, d);
    }

    private void Linear(Random rng, string name, int rows, int cols)
    {
        Add(name + ".weight", [rows, cols], Gauss(rng, rows * cols, 1.0 / Math.Sqrt(cols)));
        Add(name + ".bias", [rows], Gauss(rng, rows, 0.2));
    }

    private void Norm(Random rng, string name, int n)
    {
        Add(name + ".weight", [n], Gauss(rng, n, 0.3).Select(v => 1 + v).ToArray());
        Add(name + ".bias", [n], Gauss(rng, n, 0.2));
    }

    public void Add(string name, int[] shape, float[] data) => Tensors[name] = (shape, data);

    public static float[] Gauss(Random rng, int n, double scale)
    {
        var r = new float[n];
        for (int i = 0; i < n; i++)
        {
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            r[i] = (float)(scale * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return r;
    }

    /// <summary>Multiplies the queries and key projections so scores reach the thousands.</summary>
    public void MakeScoresLarge(float factor)
    {
        for (int l = 0; l < Layers; l++)
        {
            foreach (var n in new[] { $"layers.{l}.query", $"layers.{l}.attn.k_proj.weight" })
            {
                var t = this[n];
                for (int i = 0; i < t.Length; i++) t[i] *= factor;
            }
        }
    }

    /// <summary>Inputs: a slow random walk plus noise, in the units the normalization expects, times <paramref name="scale"/>.</summary>
    public float[] RandomInputs(int steps, int seed, double scale = 1.0)
    {
        var rng = new Random(seed);
        var x = new float[steps * InputDim];
        var walk = new double[InputDim];
        var noise = Gauss(rng, steps * InputDim, 1.0);
        var step = Gauss(rng, steps * InputDim, 0.05);
        for (int t = 0; t < steps; t++)
        {
            for (int f = 0; f < InputDim; f++)
            {
                walk[f] += step[t * InputDim + f];
                x[t * InputDim + f] = (float)(((walk[f] + noise[t * InputDim + f]) * InputStd[f] + InputMean[f]) * scale);
            }
        }
        return x;
    }

    public object Config() => new Dictionary<string, object>
    {
        ["input_dim"] = InputDim, ["d_model"] = DModel, ["heads"] = Heads, ["layers"] = Layers, ["ffn_dim"] = FfnDim,
        ["activation"] = Activation, ["output_dim"] = OutputDim, ["eps"] = Eps,
        ["input_mean"] = InputMean, ["input_std"] = InputStd, ["output_mean"] = OutputMean, ["output_std"] = OutputStd,
    };

    /// <summary>Writes model.json and weights.safetensors into <paramref name="folder"/>; returns the folder.</summary>
    public string WritePackage(string folder, Action<Dictionary<string, object>>? editConfig = null, Action<Dictionary<string, object>>? editRoot = null)
    {
        Directory.CreateDirectory(folder);
        var entries = Tensors.Select(t => new SafetensorsWriter.Entry(t.Key, t.Value.Shape, t.Value.Data)).ToList();
        SafetensorsWriter.Write(Path.Combine(folder, "weights.safetensors"), entries, null);
        var config = (Dictionary<string, object>)Config();
        editConfig?.Invoke(config);
        var root = new Dictionary<string, object>
        {
            ["format"] = "edge-model", ["version"] = 1, ["family"] = "aaren", ["config"] = config,
            ["weights"] = "weights.safetensors",
            ["provenance"] = new { data = "random weights written by the C# tests", licence = "test", script = "AarenSpec.cs" },
        };
        editRoot?.Invoke(root);
        File.WriteAllText(Path.Combine(folder, "model.json"), JsonSerializer.Serialize(root, new JsonSerializerOptions { WriteIndented = true }));
        return folder;
    }
}
