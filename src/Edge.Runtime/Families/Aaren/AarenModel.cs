using Edge.Backends;
using Edge.Kernels;
using Edge.Packages;
using Edge.Streams;

namespace Edge.Families.Aaren;

/// <summary>The aaren family on the CPU backend: weights loaded once, the constant queries folded in, shared by all streams.</summary>
public sealed partial class AarenModel : IStepModel, IPrecisionReport, IBatchStepModel
{
    private AarenModel(AarenConfig config, PackedMatrix inProj, float[] inBias, AarenLayerWeights[] layers,
        float[] normFWeight, float[] normFBias, PackedMatrix headWeight, float[] headBias, WeightPrecision precision)
    {
        Config = config;
        Precision = precision;
        InProj = inProj;
        InBias = inBias;
        Layers = layers;
        NormFWeight = normFWeight;
        NormFBias = normFBias;
        HeadWeight = headWeight;
        HeadBias = headBias;
        State = LayoutFor(config);
    }

    /// <summary>
    /// The state layout of a config: per layer and head the running maximum m and sum c of the softmax, and
    /// the running weighted sum a, all f64 as the step keeps them, so state files and forks are exact.
    /// </summary>
    public static StateLayout LayoutFor(AarenConfig config)
    {
        int l = config.Layers, nh = config.Heads, d = config.DModel;
        return new StateLayout([("m", [l, nh], StateDType.F64), ("c", [l, nh], StateDType.F64), ("a", [l, d], StateDType.F64)]);
    }

    /// <summary>No step yet: m = −∞, c = 0, a = 0.</summary>
    public static byte[] InitialStateFor(StateLayout layout)
    {
        var state = new byte[layout.Bytes];
        StateLayout.Doubles(state.AsSpan(), layout["m"]).Fill(double.NegativeInfinity);
        return state;
    }

    /// <summary>
    /// Builds the model from a package with family aaren, its matrices kept at <paramref name="precision"/> (null:
    /// as stored); at fp32 they stay row-major, as the golden runs were checked.
    /// </summary>
    public static AarenModel Create(ModelPackage package, WeightPrecision? precision = null)
    {
        var config = AarenConfig.Read(package.CreateConfigReader());
        using var weights = package.OpenWeights();
        return Create(config, weights, precision ?? package.StoredPrecision);
    }

    /// <summary>Builds the model from a validated config and its weights (every tensor must be used).</summary>
    public static AarenModel Create(AarenConfig config, ModelWeights weights, WeightPrecision precision = WeightPrecision.Fp32)
    {
        PackedMatrix Pack(float[] m, int rows, int cols, string name) => WeightPacking.PackRowMajorAtFp32(m, rows, cols, precision, name);
        int f = config.InputDim, d = config.DModel, fd = config.FfnDim, o = config.OutputDim;
        var inProj = Pack(weights.Take("in_proj.weight", d, f), d, f, "in_proj.weight");
        var inBias = weights.Take("in_proj.bias", d);
        var layers = new AarenLayerWeights[config.Layers];
        for (int l = 0; l < config.Layers; l++)
        {
            string p = $"layers.{l}.";
            var norm1W = weights.Take(p + "norm1.weight", d);
            var norm1B = weights.Take(p + "norm1.bias", d);
            var query = weights.Take(p + "query", d);
            var wq = weights.Take(p + "attn.q_proj.weight", d, d);
            var bq = weights.Take(p + "attn.q_proj.bias", d);
            var wk = weights.Take(p + "attn.k_proj.weight", d, d);
            var bk = weights.Take(p + "attn.k_proj.bias", d);
            var wv = weights.Take(p + "attn.v_proj.weight", d, d);
            var bv = weights.Take(p + "attn.v_proj.bias", d);
            var (q, valueScore, valueScoreBias) = FoldQuery(config, query, wq, bq, wk, bk, wv, bv);
            layers[l] = new AarenLayerWeights
            {
                Norm1Weight = norm1W, Norm1Bias = norm1B,
                ValueScore = Pack(valueScore, d + config.Heads, d, p + "attn.v_proj and the folded scores"), ValueScoreBias = valueScoreBias, Query = q,
                QueryProj = wq, QueryBias = bq, KeyProj = wk, KeyBias = bk, ValueProj = wv, ValueBias = bv,
                OutProj = Pack(weights.Take(p + "attn.o_proj.weight", d, d), d, d, p + "attn.o_proj.weight"),
                OutBias = weights.Take(p + "attn.o_proj.bias", d),
                Norm2Weight = weights.Take(p + "norm2.weight", d),
                Norm2Bias = weights.Take(p + "norm2.bias", d),
                Fc1 = Pack(weights.Take(p + "ffn.fc1.weight", fd, d), fd, d, p + "ffn.fc1.weight"),
                Fc1Bias = weights.Take(p + "ffn.fc1.bias", fd),
                Fc2 = Pack(weights.Take(p + "ffn.fc2.weight", d, fd), d, fd, p + "ffn.fc2.weight"),
                Fc2Bias = weights.Take(p + "ffn.fc2.bias", d),
            };
        }
        var model = new AarenModel(config, inProj, inBias, layers,
            weights.Take("norm_f.weight", d), weights.Take("norm_f.bias", d),
            Pack(weights.Take("head.weight", o, d), o, d, "head.weight"), weights.Take("head.bias", o), precision);
        weights.EnsureAllTaken();
        return model;
    }

    // q = W_q query + b_q, then each head's score row ŵ_j = W_k[j]ᵀ q_j / √Dh and offset β_j = q_j · b_k[j] / √Dh, in double.
    private static (float[] Query, float[] ValueScore, float[] ValueScoreBias) FoldQuery(
        AarenConfig config, float[] query, float[] wq, float[] bq, float[] wk, float[] bk, float[] wv, float[] bv)
    {
        int d = config.DModel, nh = config.Heads, dh = config.HeadDim;
        double scale = 1.0 / Math.Sqrt(dh);
        var q = new double[d];
        for (int r = 0; r < d; r++)
        {
            double s = bq[r];
            for (int i = 0; i < d; i++) s += (double)wq[r * d + i] * query[i];
            q[r] = s;
        }
        var valueScore = new float[(d + nh) * d];
        var valueScoreBias = new float[d + nh];
        wv.CopyTo(valueScore, 0);
        bv.CopyTo(valueScoreBias, 0);
        var row = new double[d];
        for (int j = 0; j < nh; j++)
        {
            Array.Clear(row);
            double beta = 0;
            for (int e = j * dh; e < (j + 1) * dh; e++)
            {
                beta += q[e] * bk[e];
                for (int i = 0; i < d; i++) row[i] += q[e] * wk[e * d + i];
            }
            for (int i = 0; i < d; i++) valueScore[(d + j) * d + i] = (float)(row[i] * scale);
            valueScoreBias[d + j] = (float)(beta * scale);
        }
        return (q.Select(v => (float)v).ToArray(), valueScore, valueScoreBias);
    }

    /// <summary>The validated config.</summary>
    public AarenConfig Config { get; }

    /// <inheritdoc />
    public WeightPrecision Precision { get; }

    /// <summary>Input projection [D, F]. Read-only, shared by every stream.</summary>
    public PackedMatrix InProj { get; }
    /// <summary>Its bias [D]. Read-only, shared by every stream.</summary>
    public float[] InBias { get; }
    /// <summary>The layers, in order. Read-only, shared by every stream.</summary>
    public AarenLayerWeights[] Layers { get; }
    /// <summary>Final LayerNorm scale [D]. Read-only, shared by every stream.</summary>
    public float[] NormFWeight { get; }
    /// <summary>Final LayerNorm shift [D]. Read-only, shared by every stream.</summary>
    public float[] NormFBias { get; }
    /// <summary>Output head [O, D]. Read-only, shared by every stream.</summary>
    public PackedMatrix HeadWeight { get; }
    /// <summary>Its bias [O]. Read-only, shared by every stream.</summary>
    public float[] HeadBias { get; }

    /// <inheritdoc />
    public int InputSize => Config.InputDim;

    /// <inheritdoc />
    public int OutputSize => Config.OutputDim;

    /// <inheritdoc />
    public StateLayout State { get; }

    /// <inheritdoc />
    public string BackendName => "cpu";

    /// <inheritdoc />
    public IStepSession CreateSession() => new AarenSession(this);

    /// <inheritdoc />
    public IBatchStep CreateBatchStep(int capacity) => new AarenBatchStep(this, capacity);

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
