using BenchmarkDotNet.Attributes;
using Edge.Kernels;

namespace Edge.Benchmarks;

/// <summary>
/// The CPU kernels alone, at the sizes of the packaged models' steps and at lengths that leave a partial last
/// vector (the overlapping or masked tail): <c>dotnet run -c Release --project bench/Edge.Benchmarks -- --filter '*Kernel*'</c>.
/// </summary>
[MemoryDiagnoser, MinColumn, MedianColumn]
public class KernelBenchmarks
{
    private readonly float[] _w384x128 = Random(384 * 128, 1);
    private readonly float[] _w75x67 = Random(75 * 67, 2);
    private readonly float[] _x128 = Random(128, 3);
    private readonly float[] _x67 = Random(67, 4);
    private readonly float[] _y384 = new float[384];
    private readonly float[] _y75 = new float[75];
    private readonly float[] _act = Random(1027, 5);
    private readonly float[] _actOut = new float[1027];
    private readonly float[] _state = Random(16 * 36, 6);
    private readonly float[] _decay = Random(16, 7, 0.9f);
    private readonly float[] _k = Random(16, 8);
    private readonly float[] _v = Random(36, 9);
    private readonly float[] _q = Random(16, 10);
    private readonly float[] _o = new float[36];
    private readonly float[] _ring = Random(196 * 4, 11);
    private readonly float[] _taps = Random(196 * 4, 12);
    private readonly float[] _conv = Random(196, 13);
    private PackedMatrix _packed = null!;

    /// <summary>Packs the panel matrix once.</summary>
    [GlobalSetup]
    public void Setup() => _packed = PackedMatrix.Pack(_w384x128, 384, 128);

    /// <summary>Row-major 384×128 product (four-row blocks, whole vectors).</summary>
    [Benchmark]
    public void MatVec384x128() => MatVec.Multiply(_w384x128, _x128, _y384);

    /// <summary>Row-major 75×67 product: three leftover rows and a masked last vector per row.</summary>
    [Benchmark]
    public void MatVec75x67() => MatVec.Multiply(_w75x67, _x67, _y75);

    /// <summary>Panel-packed 384×128 product.</summary>
    [Benchmark]
    public void Packed384x128() => _packed.Multiply(_x128, _y384);

    /// <summary>Log-sigmoid over 1027 values (widened to double lanes; an overlapping last vector).</summary>
    [Benchmark]
    public void LogSigmoid1027() => LogSigmoid.Apply(_act, _actOut);

    /// <summary>SiLU over 1027 values.</summary>
    [Benchmark]
    public void Silu1027() => Silu.Apply(_act, _actOut);

    /// <summary>One GLA head step, K 16, V 36 (a masked last vector per row).</summary>
    [Benchmark]
    public void GlaHead16x36() => GlaRecurrence.Step(_state, _decay, _k, _v, _q, _o);

    /// <summary>One four-tap convolution step over 196 channels (a masked last block).</summary>
    [Benchmark]
    public void ShortConv196x4()
    {
        _conv[0] += 1e-3f;   // keep the ring's values moving but bounded: the output replaces the input every call
        ShortConvolution.Step(_ring, _taps, _conv, 4);
        _conv.AsSpan().Clear();
    }

    private static float[] Random(int n, int seed, float lo = -1f)
    {
        var rng = new Random(seed);
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)(lo + rng.NextDouble() * (1 - lo));
        return a;
    }
}
