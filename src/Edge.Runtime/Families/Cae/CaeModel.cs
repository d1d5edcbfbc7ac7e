using Edge.Backends;
using Edge.Kernels;
using Edge.Packages;
using Edge.Streams;

namespace Edge.Families.Cae;

/// <summary>The cae family on the CPU backend: weights loaded and repacked once for position-major signals, shared by all streams.</summary>
public sealed partial class CaeModel : IStepModel, IPrecisionReport
{
    /// <summary>Values per step: the score and the flag (1 when score &gt; threshold).</summary>
    public const int Outputs = 2;

    private CaeModel(CaeConfig config, CaeEncoderLayer[] encoder, PackedMatrix bottleneck, float[] bottleneckBias,
        PackedMatrix expand, float[] expandBias, CaeDecoderLayer[] decoder, WeightPrecision precision)
    {
        Config = config;
        Precision = precision;
        Encoder = encoder;
        Bottleneck = bottleneck;
        BottleneckBias = bottleneckBias;
        Expand = expand;
        ExpandBias = expandBias;
        Decoder = decoder;
        State = LayoutFor(config);
    }

    /// <summary>The state layout: the ring of the last W normalised samples, then its fill, next row, hop phase and the last score.</summary>
    public static StateLayout LayoutFor(CaeConfig config) =>
        new([("ring", [config.Window, config.InputDim]), ("ring_fill", [1]), ("ring_next", [1]), ("phase", [1]), ("score", [1])]);

    /// <summary>Builds the model from a package with family cae, its matrices kept at <paramref name="precision"/> (null: as stored).</summary>
    public static CaeModel Create(ModelPackage package, WeightPrecision? precision = null)
    {
        var config = CaeConfig.Read(package.CreateConfigReader());
        using var weights = package.OpenWeights();
        return Create(config, weights, precision ?? package.StoredPrecision);
    }

    /// <summary>Builds the model from a validated config and its weights (PyTorch state_dict names; every tensor must be used).</summary>
    public static CaeModel Create(CaeConfig config, ModelWeights weights, WeightPrecision precision = WeightPrecision.Fp32)
    {
        int e = config.Layers, z = config.LatentDim, m = config.Flat;
        int lastChannels = config.Channels[^1], lastLength = config.Length(e);
        var encoder = new CaeEncoderLayer[e];
        for (int i = 0; i < e; i++)
        {
            int cin = config.InChannels(i), cout = config.Channels[i], k = config.Kernels[i];
            encoder[i] = new CaeEncoderLayer(weights.Take($"encoder.{i}.weight", cout, cin, k), weights.Take($"encoder.{i}.bias", cout),
                cin, cout, k, config.Strides[i], config.Length(i), precision);
        }

        // flat(h_E) is channel-major (c·L_E + l); the step keeps signals position-major (l·C + c), so the
        // bottleneck's columns and the expansion's rows are permuted once here instead of every step.
        var bw = weights.Take("bottleneck.weight", z, m);
        var bottleneck = new float[z * m];
        for (int r = 0; r < z; r++)
            for (int c = 0; c < lastChannels; c++)
                for (int l = 0; l < lastLength; l++)
                    bottleneck[r * m + l * lastChannels + c] = bw[r * m + c * lastLength + l];
        var bb = weights.Take("bottleneck.bias", z);
        var ew = weights.Take("expand.weight", m, z);
        var eb = weights.Take("expand.bias", m);
        var expand = new float[m * z];
        var expandBias = new float[m];
        for (int c = 0; c < lastChannels; c++)
            for (int l = 0; l < lastLength; l++)
            {
                int from = c * lastLength + l, to = l * lastChannels + c;
                ew.AsSpan(from * z, z).CopyTo(expand.AsSpan(to * z));
                expandBias[to] = eb[from];
            }

        var decoder = new CaeDecoderLayer[e];
        for (int j = 0; j < e; j++)
        {
            int i = e - 1 - j, cin = config.Channels[i], cout = config.InChannels(i), k = config.Kernels[i];
            decoder[j] = new CaeDecoderLayer(weights.Take($"decoder.{j}.weight", cin, cout, k), weights.Take($"decoder.{j}.bias", cout),
                cin, cout, k, config.Strides[i], config.Length(i + 1), relu: j < e - 1, precision);
        }
        weights.EnsureAllTaken();
        return new CaeModel(config, encoder, WeightPacking.Pack(bottleneck, z, m, precision, "bottleneck.weight"), bb,
            WeightPacking.Pack(expand, m, z, precision, "expand.weight"), expandBias, decoder, precision);
    }

    /// <summary>The validated config.</summary>
    public CaeConfig Config { get; }

    /// <inheritdoc />
    public WeightPrecision Precision { get; }

    internal CaeEncoderLayer[] Encoder { get; }
    internal PackedMatrix Bottleneck { get; }
    internal float[] BottleneckBias { get; }
    internal PackedMatrix Expand { get; }
    internal float[] ExpandBias { get; }
    internal CaeDecoderLayer[] Decoder { get; }

    /// <inheritdoc />
    public int InputSize => Config.InputDim;

    /// <inheritdoc />
    public int OutputSize => Outputs;

    /// <inheritdoc />
    public StateLayout State { get; }

    /// <inheritdoc />
    public string BackendName => "cpu";

    /// <inheritdoc />
    public IStepSession CreateSession() => new CaeSession(this);

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
