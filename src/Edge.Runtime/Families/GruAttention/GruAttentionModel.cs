using Edge.Backends;
using Edge.Kernels;
using Edge.Packages;
using Edge.Streams;

namespace Edge.Families.GruAttention;

/// <summary>The gru-attention family on the CPU backend: weights loaded and repacked once, shared by all streams.</summary>
public sealed partial class GruAttentionModel : IStepModel, IPrecisionReport, IBatchStepModel
{
    private GruAttentionModel(GruAttentionConfig config, GruLayerWeights[] layers, float[] attnProj, float[] attnBias, float[] attnContext, float[] headWeight, float[] headBias, WeightPrecision precision)
    {
        Config = config;
        Precision = precision;
        Layers = layers;
        AttnProj = WeightPacking.Pack(attnProj, config.AttnDim, config.Hidden, precision, "attn.proj.weight");
        AttnBias = attnBias;
        AttnContext = attnContext;
        HeadWeight = WeightPacking.Pack(headWeight, config.OutputDim, 2 * config.Hidden, precision, "head.weight");
        HeadBias = headBias;
        State = LayoutFor(config);
        InitialState = InitialStateFor(config, State);
    }

    /// <summary>
    /// The state layout of a config: the GRU's h (f32), then the attention's running sums (window 0; f64, so that
    /// months of steps do not stall them: a float32 sum of weights stops growing at 2^24 steps) or its ring of the
    /// last W steps (f32).
    /// </summary>
    public static StateLayout LayoutFor(GruAttentionConfig config)
    {
        int l = config.Layers, h = config.Hidden, w = config.AttentionWindow;
        return w == 0
            ? new StateLayout([("h", [l, h], StateDType.F32), ("m", [1], StateDType.F64), ("c", [1], StateDType.F64), ("a", [h], StateDType.F64)])
            : new StateLayout([("h", [l, h]), ("ring", [w, h + 1]), ("ring_fill", [1]), ("ring_next", [1])]);
    }

    /// <summary>Zeros, with the running maximum m at −∞ when the attention is unwindowed (no step yet).</summary>
    public static byte[] InitialStateFor(GruAttentionConfig config, StateLayout layout)
    {
        var state = new byte[layout.Bytes];
        if (config.AttentionWindow == 0) StateLayout.Doubles(state.AsSpan(), layout["m"])[0] = double.NegativeInfinity;
        return state;
    }

    /// <summary>Builds the model from a package with family gru-attention, its matrices kept at <paramref name="precision"/> (null: as stored).</summary>
    public static GruAttentionModel Create(ModelPackage package, WeightPrecision? precision = null)
    {
        var config = GruAttentionConfig.Read(package.CreateConfigReader());
        using var weights = package.OpenWeights();
        return Create(config, weights, precision ?? package.StoredPrecision);
    }

    /// <summary>Builds the model from a validated config and its weights (every tensor must be used).</summary>
    public static GruAttentionModel Create(GruAttentionConfig config, ModelWeights weights, WeightPrecision precision = WeightPrecision.Fp32)
    {
        int h = config.Hidden, a = config.AttnDim;
        var layers = new GruLayerWeights[config.Layers];
        for (int k = 0; k < config.Layers; k++)
        {
            int input = k == 0 ? config.InputDim : h;
            var (wih, whh, bih, bhh) = config.WeightLayout switch
            {
                GruWeightLayout.Onnx => GruGatePermutation.FromOnnx(
                    weights.Take($"gru.W_l{k}", 1, 3 * h, input), weights.Take($"gru.R_l{k}", 1, 3 * h, h), weights.Take($"gru.B_l{k}", 1, 6 * h), h, input),
                GruWeightLayout.Keras => GruGatePermutation.FromKeras(
                    weights.Take($"gru.kernel_l{k}", input, 3 * h), weights.Take($"gru.recurrent_kernel_l{k}", h, 3 * h), weights.Take($"gru.bias_l{k}", 2, 3 * h), h, input),
                _ => (weights.Take($"gru.weight_ih_l{k}", 3 * h, input), weights.Take($"gru.weight_hh_l{k}", 3 * h, h),
                      weights.Take($"gru.bias_ih_l{k}", 3 * h), weights.Take($"gru.bias_hh_l{k}", 3 * h)),
            };
            layers[k] = new GruLayerWeights(input, h, wih, whh, bih, bhh, precision);
        }
        var model = new GruAttentionModel(config, layers,
            weights.Take("attn.proj.weight", a, h), weights.Take("attn.proj.bias", a), weights.Take("attn.context", a),
            weights.Take("head.weight", config.OutputDim, 2 * h), weights.Take("head.bias", config.OutputDim), precision);
        weights.EnsureAllTaken();
        return model;
    }

    /// <summary>The validated config.</summary>
    public GruAttentionConfig Config { get; }

    /// <inheritdoc />
    public WeightPrecision Precision { get; }

    internal GruLayerWeights[] Layers { get; }
    internal PackedMatrix AttnProj { get; }
    internal float[] AttnBias { get; }
    internal float[] AttnContext { get; }
    internal PackedMatrix HeadWeight { get; }
    internal float[] HeadBias { get; }

    /// <inheritdoc />
    public int InputSize => Config.InputDim;

    /// <inheritdoc />
    public int OutputSize => Config.OutputDim;

    /// <inheritdoc />
    public StateLayout State { get; }

    /// <summary>The state a stream starts from.</summary>
    internal byte[] InitialState { get; }

    /// <inheritdoc />
    public string BackendName => "cpu";

    /// <inheritdoc />
    public IStepSession CreateSession() => new GruAttentionSession(this);

    /// <inheritdoc />
    public IBatchStep CreateBatchStep(int capacity) => new GruAttentionBatchStep(this, capacity);

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
