using BenchmarkDotNet.Attributes;
using Edge.Speech.Codecs;

namespace Edge.Benchmarks;

/// <summary>
/// One decoded frame of each speech codec in steady state (the decoder far into an utterance), and encoding one
/// second with mel-vq: the default voice's codec (models/tts-default/codec, 50 frames/s, so a real-time factor is
/// the per-frame time times 50) and the small random ONNX test graph (tests/fixtures/speech/onnx-codec).
/// </summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private ICodecDecoder _melVq = null!, _onnx = null!;
    private ICodecEncoder _encoder = null!;
    private readonly int[] _frame = new int[1], _onnxFrame = new int[2];
    private float[] _audio = null!, _second = null!;
    private int[] _codes = null!;
    private int _t;

    [GlobalSetup]
    public void Setup()
    {
        var melVq = SpeechCodecs.LoadFolder(Path.Combine(BenchPaths.Model("tts-default"), "codec"));
        var onnx = SpeechCodecs.LoadFolder(BenchPaths.Fixture("speech", "onnx-codec"));
        _melVq = melVq.CreateDecoder();
        _onnx = onnx.CreateDecoder();
        _encoder = melVq.CreateEncoder()!;
        _audio = new float[Math.Max(_onnx.MaxSamplesPerPush, _melVq.MaxSamplesPerPush)];
        var rng = new Random(1);
        _second = Enumerable.Range(0, melVq.SampleRate).Select(_ => (float)(rng.NextDouble() - 0.5) * 0.2f).ToArray();
        _codes = new int[_encoder.FrameCount(_second.Length)];
        for (int i = 0; i < 64; i++) { MelVqFrame(); OnnxFrame(); }
    }

    /// <summary>mel-vq: one frame through the streaming RTISI-LA decoder (look-ahead 3, 8 iterations).</summary>
    [Benchmark(Baseline = true)]
    public int MelVqFrame()
    {
        _frame[0] = _t++ * 37 % 256;
        return _melVq.Push(_frame, _audio);
    }

    /// <summary>onnx: one frame; every fourth runs the graph on a 20-frame window.</summary>
    [Benchmark]
    public int OnnxFrame()
    {
        _onnxFrame[0] = _t++ * 37 % 64;
        _onnxFrame[1] = _t * 11 % 64;
        return _onnx.Push(_onnxFrame, _audio);
    }

    /// <summary>mel-vq: encoding one second (51 frames).</summary>
    [Benchmark]
    public void MelVqEncodeSecond() => _encoder.Encode(_second, _codes);

    [GlobalCleanup]
    public void Cleanup()
    {
        _melVq.Dispose();
        _onnx.Dispose();
    }
}
