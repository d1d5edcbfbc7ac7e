using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Edge.Diagnostics.Baselines;
using Edge.Formats.Safetensors;
using Edge.Streams;

namespace Edge.Benchmarks;

/// <summary>
/// One step at sequence length N of an aaren model (the sizes of models/aaren-co2: F 3, D 32, 4 heads,
/// 2 layers, FFN 64; random weights written to a temporary package) and of the causal Transformer of the
/// same sizes and weights whose KV cache holds N steps (<see cref="KvCacheTransformer"/>). The Transformer
/// step is followed by truncating the cache back to N, so every invocation runs at length N. 100k steps is
/// <c>edge bench PKG --vs-transformer</c>'s job: filling that cache takes minutes, too long for BenchmarkDotNet's runs.
/// </summary>
[MemoryDiagnoser]
public class AarenVsTransformerBenchmarks
{
    private string _folder = "";
    private EdgeModel _model = null!;
    private ModelStream _stream = null!;
    private KvCacheTransformer _transformer = null!;
    private readonly float[] _input = [330f, 0.5f, -0.5f];
    private readonly float[] _output = new float[1];

    /// <summary>Steps already in the sequence (the aaren state, the Transformer's cache).</summary>
    [Params(1_000, 10_000)]
    public int Length { get; set; }

    /// <summary>Writes the package, then runs both models to <see cref="Length"/> steps.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "edge-bench-aaren-" + Guid.NewGuid().ToString("N"));
        WritePackage(_folder, inputDim: 3, d: 32, heads: 4, layers: 2, ffn: 64, outputs: 1);
        _model = EdgeModel.Load(_folder);
        _stream = _model.CreateStream();
        _transformer = KvCacheTransformer.For(_model, Length + 1);
        for (int t = 0; t < Length; t++)
        {
            _input[0] = 330f + t % 52 * 0.1f;
            _stream.Step(_input, _output);
            _transformer.Step(_input, _output);
        }
    }

    /// <summary>Aaren: one step with a state of fixed size.</summary>
    [Benchmark(Baseline = true)]
    public void AarenStep() => _stream.Step(_input, _output);

    /// <summary>Transformer: one step attending over <see cref="Length"/> cached steps (then the cache is cut back to that length).</summary>
    [Benchmark]
    public void TransformerStep()
    {
        _transformer.Step(_input, _output);
        _transformer.Truncate(Length);
    }

    /// <summary>Releases the stream and model and deletes the package.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _stream.Dispose();
        _model.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    // A package as docs/families/aaren.md names it, random weights of PyTorch's default scale.
    private static void WritePackage(string folder, int inputDim, int d, int heads, int layers, int ffn, int outputs)
    {
        var rng = new Random(7);
        var tensors = new List<SafetensorsWriter.Entry>();
        void Add(string name, int[] shape, float scale, float offset = 0)
        {
            var data = new float[shape.Aggregate(1, (a, b) => a * b)];
            for (int i = 0; i < data.Length; i++) data[i] = offset + scale * (float)(rng.NextDouble() * 2 - 1);
            tensors.Add(new SafetensorsWriter.Entry(name, shape, data));
        }
        void Linear(string name, int rows, int cols)
        {
            Add(name + ".weight", [rows, cols], 1f / MathF.Sqrt(cols));
            Add(name + ".bias", [rows], 0.1f);
        }
        void Norm(string name)
        {
            Add(name + ".weight", [d], 0.1f, 1f);
            Add(name + ".bias", [d], 0.1f);
        }
        Linear("in_proj", d, inputDim);
        for (int l = 0; l < layers; l++)
        {
            Norm($"layers.{l}.norm1");
            Add($"layers.{l}.query", [d], 1f);
            foreach (var p in new[] { "q_proj", "k_proj", "v_proj", "o_proj" }) Linear($"layers.{l}.attn.{p}", d, d);
            Norm($"layers.{l}.norm2");
            Linear($"layers.{l}.ffn.fc1", ffn, d);
            Linear($"layers.{l}.ffn.fc2", d, ffn);
        }
        Norm("norm_f");
        Linear("head", outputs, d);
        Directory.CreateDirectory(folder);
        SafetensorsWriter.Write(Path.Combine(folder, "weights.safetensors"), tensors, null);
        var model = new
        {
            format = "edge-model", version = 1, family = "aaren",
            config = new
            {
                input_dim = inputDim, d_model = d, heads, layers, ffn_dim = ffn, activation = "gelu_tanh", output_dim = outputs, eps = 1e-5,
                input_mean = new[] { 330.0, 0, 0 }, input_std = new[] { 10.0, 1, 1 },
            },
            weights = "weights.safetensors",
            provenance = new { data = "random weights made by the benchmark" },
        };
        File.WriteAllText(Path.Combine(folder, "model.json"), JsonSerializer.Serialize(model));
    }
}
