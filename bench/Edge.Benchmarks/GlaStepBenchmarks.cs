using BenchmarkDotNet.Attributes;
using Edge.Streams;

namespace Edge.Benchmarks;

/// <summary>
/// One gla-tts decoder step of models/lina-reference (d 64) conditioned on a 64-token text. The release-size
/// figure (d 1024, roofline) is <c>edge bench --gla-release</c>: its weights are too large for BenchmarkDotNet's many runs.
/// </summary>
[MemoryDiagnoser]
public class GlaStepBenchmarks
{
    private EdgeModel _model = null!;
    private ModelStream _stream = null!;
    private readonly float[] _input = [3f];
    private float[] _output = [];

    /// <summary>Loads the reference package and sets a text.</summary>
    [GlobalSetup]
    public void Setup()
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Edge.sln"))) root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Edge.sln not found.");
        _model = EdgeModel.Load(Path.Combine(root, "models", "lina-reference"));
        _stream = _model.CreateStream();
        _stream.GetFeature<ITextConditioning>()!.SetTextIds([1, .. Enumerable.Range(0, 62).Select(i => 3 + i), 2]);
        _output = new float[_model.OutputSize];
    }

    /// <summary>One teacher-forced decoder step.</summary>
    [Benchmark]
    public void DecoderStep()
    {
        _input[0] = 3 + (_input[0] + 7) % 60;
        _stream.Step(_input, _output);
    }

    /// <summary>Releases the stream and model.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _stream.Dispose();
        _model.Dispose();
    }
}
