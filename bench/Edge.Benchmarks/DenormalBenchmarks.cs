using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Edge.Kernels;
using Edge.Streams;

namespace Edge.Benchmarks;

/// <summary>
/// What subnormal (denormal) floats cost in the kernels and in whole family steps on this CPU. .NET leaves the
/// MXCSR's flush-to-zero and denormals-are-zero bits off (a C# program cannot set them), so <c>1e-40f * 1f</c> stays
/// subnormal and every kernel computes IEEE gradual underflow. Each category times the same work on three fillings
/// of the same buffer: exactly zero (what flushing would leave, the baseline), tiny normal values (1e-30: as small,
/// but normal) and subnormal values (1e-39; 1e-310 for float64 state), so the Ratio column is the time a
/// subnormal filling costs over a flushed one:
/// <c>dotnet run -c Release --project bench/Edge.Benchmarks -- --filter '*Denormal*' --job short</c>.
/// </summary>
[MemoryDiagnoser, MinColumn, MedianColumn, CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class DenormalBenchmarks
{
    private const float Tiny = 1e-30f, Subnormal = 1e-39f;

    // GLA: one tts-default head (K 96, V 192) on a zero input (k = v = 0) under gates 0.9: the decaying state
    // of a long silent run. Each call starts again from the filling, so every call sees the same values.
    private const int K = 96, V = 192;
    private readonly float[] _glaZero = new float[K * V], _glaTiny = Filled(K * V, 1, Tiny), _glaSubnormal = Filled(K * V, 1, Subnormal);
    private readonly float[] _glaState = new float[K * V], _decay = Constant(K, 0.9f), _k = new float[K], _v = new float[V], _q = Filled(K, 2, 0.1f), _o = new float[V];

    // A 192 × 192 panel product (tts-default's d_model) and an elementwise 1024 on inputs of each filling.
    private readonly float[] _w = Filled(192 * 192, 3, 0.1f), _y = new float[192];
    private readonly float[] _xZero = new float[192], _xTiny = Filled(192, 4, Tiny), _xSubnormal = Filled(192, 4, Subnormal);
    private readonly float[] _aZero = new float[1024], _aTiny = Filled(1024, 5, Tiny), _aSubnormal = Filled(1024, 5, Subnormal), _aOut = new float[1024];
    // Softmax whose other outputs are e^-20 (normal), e^-60 (tiny normal) and e^-90 (subnormal) of the largest.
    private readonly float[] _sm20 = Scores(-20), _sm60 = Scores(-60), _sm90 = Scores(-90);
    private PackedMatrix _packed = null!;

    private Family _tts = null!, _ecg = null!, _co2 = null!;

    /// <summary>Packs the matrix and loads the three models with their state fillings.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _packed = PackedMatrix.Pack(_w, 192, 192);
        _tts = new Family("tts-default", e => e.EndsWith(".S", StringComparison.Ordinal));
        _ecg = new Family("gru-attention-ecg", e => e == "h");
        _co2 = new Family("aaren-co2", e => e == "a");
    }

    /// <summary>Releases the models.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _tts.Dispose();
        _ecg.Dispose();
        _co2.Dispose();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("GlaRecurrence 96x192")] public void GlaZero() => Gla(_glaZero);
    [Benchmark, BenchmarkCategory("GlaRecurrence 96x192")] public void GlaTiny() => Gla(_glaTiny);
    [Benchmark, BenchmarkCategory("GlaRecurrence 96x192")] public void GlaSubnormal() => Gla(_glaSubnormal);

    [Benchmark(Baseline = true), BenchmarkCategory("PackedMatrix 192x192, x")] public void PackedZero() => _packed.Multiply(_xZero, _y);
    [Benchmark, BenchmarkCategory("PackedMatrix 192x192, x")] public void PackedTiny() => _packed.Multiply(_xTiny, _y);
    [Benchmark, BenchmarkCategory("PackedMatrix 192x192, x")] public void PackedSubnormal() => _packed.Multiply(_xSubnormal, _y);

    [Benchmark(Baseline = true), BenchmarkCategory("MatVec 192x192, x")] public void MatVecZero() => MatVec.Multiply(_w, _xZero, _y);
    [Benchmark, BenchmarkCategory("MatVec 192x192, x")] public void MatVecTiny() => MatVec.Multiply(_w, _xTiny, _y);
    [Benchmark, BenchmarkCategory("MatVec 192x192, x")] public void MatVecSubnormal() => MatVec.Multiply(_w, _xSubnormal, _y);

    [Benchmark(Baseline = true), BenchmarkCategory("Softmax 1024, outputs")] public void SoftmaxNormal() => Softmax.Apply(_sm20, _aOut);
    [Benchmark, BenchmarkCategory("Softmax 1024, outputs")] public void SoftmaxTiny() => Softmax.Apply(_sm60, _aOut);
    [Benchmark, BenchmarkCategory("Softmax 1024, outputs")] public void SoftmaxSubnormal() => Softmax.Apply(_sm90, _aOut);

    [Benchmark(Baseline = true), BenchmarkCategory("LogSigmoid 1024")] public void LogSigmoidZero() => LogSigmoid.Apply(_aZero, _aOut);
    [Benchmark, BenchmarkCategory("LogSigmoid 1024")] public void LogSigmoidTiny() => LogSigmoid.Apply(_aTiny, _aOut);
    [Benchmark, BenchmarkCategory("LogSigmoid 1024")] public void LogSigmoidSubnormal() => LogSigmoid.Apply(_aSubnormal, _aOut);

    [Benchmark(Baseline = true), BenchmarkCategory("Silu 1024")] public void SiluZero() => Silu.Apply(_aZero, _aOut);
    [Benchmark, BenchmarkCategory("Silu 1024")] public void SiluTiny() => Silu.Apply(_aTiny, _aOut);
    [Benchmark, BenchmarkCategory("Silu 1024")] public void SiluSubnormal() => Silu.Apply(_aSubnormal, _aOut);

    [Benchmark(Baseline = true), BenchmarkCategory("GeluTanh 1024")] public void GeluZero() => GeluTanh.Apply(_aZero, _aOut);
    [Benchmark, BenchmarkCategory("GeluTanh 1024")] public void GeluTiny() => GeluTanh.Apply(_aTiny, _aOut);
    [Benchmark, BenchmarkCategory("GeluTanh 1024")] public void GeluSubnormal() => GeluTanh.Apply(_aSubnormal, _aOut);

    [Benchmark(Baseline = true), BenchmarkCategory("gla-tts step (tts-default), every S")] public void TtsZero() => _tts.Step(_tts.Zero);
    [Benchmark, BenchmarkCategory("gla-tts step (tts-default), every S")] public void TtsTiny() => _tts.Step(_tts.Tiny);
    [Benchmark, BenchmarkCategory("gla-tts step (tts-default), every S")] public void TtsSubnormal() => _tts.Step(_tts.Subnormal);

    [Benchmark(Baseline = true), BenchmarkCategory("gru-attention step (ecg), h")] public void EcgZero() => _ecg.Step(_ecg.Zero);
    [Benchmark, BenchmarkCategory("gru-attention step (ecg), h")] public void EcgTiny() => _ecg.Step(_ecg.Tiny);
    [Benchmark, BenchmarkCategory("gru-attention step (ecg), h")] public void EcgSubnormal() => _ecg.Step(_ecg.Subnormal);

    [Benchmark(Baseline = true), BenchmarkCategory("aaren step (co2), a (float64)")] public void Co2Zero() => _co2.Step(_co2.Zero);
    [Benchmark, BenchmarkCategory("aaren step (co2), a (float64)")] public void Co2Tiny() => _co2.Step(_co2.Tiny);
    [Benchmark, BenchmarkCategory("aaren step (co2), a (float64)")] public void Co2Subnormal() => _co2.Step(_co2.Subnormal);

    private void Gla(float[] filling)
    {
        filling.CopyTo(_glaState, 0);
        GlaRecurrence.Step(_glaState, _decay, _k, _v, _q, _o);
    }

    private static float[] Filled(int n, int seed, float scale)
    {
        var rng = new Random(seed);
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)((rng.NextDouble() * 2 - 1) * scale);
        return a;
    }

    private static float[] Constant(int n, float value)
    {
        var a = new float[n];
        Array.Fill(a, value);
        return a;
    }

    private static float[] Scores(float low)
    {
        var a = new float[1024];
        for (int i = 1; i < a.Length; i++) a[i] = low - i % 8;
        return a;
    }

    // A model's stream after 300 steps of a random input, and three snapshots of that state with the chosen
    // entries rescaled to largest |value| 0, 1e-30 and 1e-39 (float64 entries: 0, 1e-300, 1e-310); the other
    // entries (rings, running maxima, softmax sums) keep their values. A step restores one, then steps on a zero
    // input (token id 0): the restore is the same copy and check for each filling.
    private sealed class Family : IDisposable
    {
        private readonly EdgeModel _model;
        private readonly ModelStream _stream;
        private readonly float[] _input, _output;

        public Family(string name, Func<string, bool> rescale)
        {
            _model = EdgeModel.Load(BenchPaths.Model(name));
            _stream = _model.CreateStream();
            if (_stream.GetFeature<ITextConditioning>() is { } text)
                text.SetTextIds([1, .. Enumerable.Range(0, 30).Select(i => 3 + i % (text.TextVocabulary - 3)), 2]);
            _input = new float[_model.InputSize];
            _output = new float[_model.OutputSize];
            int vocabulary = _model.StepModel.InputVocabulary;
            var rng = new Random(7);
            for (int s = 0; s < 300; s++)
            {
                for (int i = 0; i < _input.Length; i++) _input[i] = vocabulary > 0 ? rng.Next(vocabulary) : (float)(rng.NextDouble() * 2 - 1);
                _stream.Step(_input, _output);
            }
            Array.Clear(_input);
            Zero = Rescaled(rescale, 0, 0);
            Tiny = Rescaled(rescale, Tiny32, 1e-300);
            Subnormal = Rescaled(rescale, Subnormal32, 1e-310);
        }

        private const float Tiny32 = 1e-30f, Subnormal32 = 1e-39f;

        public StreamState Zero { get; }

        public StreamState Tiny { get; }

        public StreamState Subnormal { get; }

        public void Step(StreamState from)
        {
            _stream.Restore(from);
            _stream.Step(_input, _output);
        }

        public void Dispose()
        {
            _stream.Dispose();
            _model.Dispose();
        }

        private StreamState Rescaled(Func<string, bool> rescale, float largest32, double largest64)
        {
            var s = _stream.Snapshot();
            foreach (var e in _model.State.Entries.Where(e => rescale(e.Name)))
            {
                if (e.DType == StateDType.F64)
                {
                    var d = s.Doubles(e.Name);
                    double max = d.ToArray().Max(Math.Abs);
                    for (int i = 0; i < d.Length; i++) d[i] = max == 0 ? 0 : d[i] / max * largest64;
                }
                else
                {
                    var f = s.Floats(e.Name);
                    float max = f.ToArray().Max(Math.Abs);
                    for (int i = 0; i < f.Length; i++) f[i] = max == 0 ? 0 : f[i] / max * largest32;
                }
            }
            return s;
        }
    }
}
