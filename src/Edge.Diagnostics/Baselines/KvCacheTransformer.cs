using Edge.Families.Aaren;
using System.Numerics.Tensors;
using Edge.Kernels;
using Edge.Streams;

namespace Edge.Diagnostics.Baselines;

/// <summary>
/// The baseline that aaren's constant memory is measured against: a causal Transformer of the same sizes,
/// reusing an aaren model's weights, where each step computes its own query <c>q = W_q LN1(z) + b_q</c>
/// (the learned query token is unused) and attends over the keys and values of every step so far, kept
/// in a growing cache. Same kernels as the aaren step; memory and time per step grow with the steps.
/// Not a product family: a measuring stick for <c>edge bench --vs-transformer</c>.
/// </summary>
public sealed class KvCacheTransformer
{
    private readonly AarenModel _model;
    private readonly float[][] _qkv;      // per layer [3D, D]: W_q, W_k, W_v stacked
    private readonly float[][] _qkvBias;  // per layer [3D]
    private readonly KvCache[] _caches;
    private readonly float[] _x0, _z, _u, _proj, _o, _h, _y;
    private readonly float _scale;
    private float[] _scores;

    /// <summary>Builds the baseline from an aaren model's weights, with room for <paramref name="capacity"/> steps before the cache first doubles.</summary>
    public KvCacheTransformer(AarenModel model, int capacity = 1024)
    {
        _model = model;
        var c = model.Config;
        int d = c.DModel;
        _qkv = new float[c.Layers][];
        _qkvBias = new float[c.Layers][];
        _caches = new KvCache[c.Layers];
        for (int l = 0; l < c.Layers; l++)
        {
            var w = model.Layers[l];
            _qkv[l] = [.. w.QueryProj, .. w.KeyProj, .. w.ValueProj];
            _qkvBias[l] = [.. w.QueryBias, .. w.KeyBias, .. w.ValueBias];
            _caches[l] = new KvCache(d, capacity);
        }
        _scale = 1f / MathF.Sqrt(c.HeadDim);
        _x0 = new float[c.InputDim];
        _z = new float[d];
        _u = new float[d];
        _proj = new float[3 * d];
        _o = new float[d];
        _h = new float[c.FfnDim];
        _y = new float[c.OutputDim];
        _scores = new float[_caches[0].Capacity];
    }

    /// <summary>Steps held in the cache.</summary>
    public int Length => _caches[0].Length;

    /// <summary>Bytes of keys and values held: <c>L · 2 · D · 4</c> per step.</summary>
    public long CacheBytes => BytesPerStep * Length;

    /// <summary>Cache bytes each step adds: <c>L · 2 · D · 4</c>.</summary>
    public long BytesPerStep => 2L * _model.Config.Layers * _model.Config.DModel * sizeof(float);

    /// <summary>Makes room for <paramref name="steps"/> steps at once, so a timed run never reallocates.</summary>
    public void Reserve(int steps)
    {
        foreach (var cache in _caches) cache.Reserve(steps);
        if (_scores.Length < steps) _scores = new float[steps];
    }

    /// <summary>Forgets every step.</summary>
    public void Reset() => Truncate(0);

    /// <summary>Keeps only the first <paramref name="length"/> steps (benchmarks step at a fixed length this way).</summary>
    public void Truncate(int length)
    {
        foreach (var cache in _caches) cache.Truncate(length);
    }

    /// <summary>Advances one step: reads <c>F</c> floats, writes <c>O</c>.</summary>
    public void Step(ReadOnlySpan<float> input, Span<float> output)
    {
        var c = _model.Config;
        int d = c.DModel, dh = c.HeadDim;
        if (input.Length != c.InputDim || output.Length != c.OutputDim)
            throw new EdgeException(EdgeErrorCode.InvalidArgument, $"step takes {c.InputDim} inputs and writes {c.OutputDim} outputs.");

        AarenSublayers.Embed(_model, input, _x0, _z);
        for (int l = 0; l < c.Layers; l++)
        {
            var w = _model.Layers[l];
            var cache = _caches[l];
            LayerNorm.Normalize(_z, w.Norm1Weight, w.Norm1Bias, c.Eps, _u);
            MatVec.MultiplyAddBias(_qkv[l], _u, _qkvBias[l], _proj);
            Span<float> q = _proj.AsSpan(0, d);
            TensorPrimitives.Multiply(q, _scale, q);
            cache.Append(_proj.AsSpan(d, d), _proj.AsSpan(2 * d, d));
            if (_scores.Length < cache.Capacity) _scores = new float[cache.Capacity];
            for (int j = 0; j < c.Heads; j++) cache.Attend(j * dh, q.Slice(j * dh, dh), _scores, _o.AsSpan(j * dh, dh));
            AarenSublayers.AddAttention(w, _o, _z);
            AarenSublayers.AddFeedForward(_model, w, _z, _u, _h);
        }
        AarenSublayers.Readout(_model, _z, _u, _y, output);
    }

    /// <summary>Builds the baseline for a loaded aaren model (CPU backend).</summary>
    public static KvCacheTransformer For(EdgeModel model, int capacity = 1024) => model.StepModel is AarenModel aaren
        ? new KvCacheTransformer(aaren, capacity)
        : throw new EdgeException(EdgeErrorCode.UnsupportedFamily,
            $"{model.Package.Path}: the Transformer baseline reuses an aaren model's weights; this package is {model.Family} on {model.BackendName}.");
}
