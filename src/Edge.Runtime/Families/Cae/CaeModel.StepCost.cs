using Edge.Backends;
using Edge.Kernels;

namespace Edge.Families.Cae;

/// <summary>
/// A step's cost for roofline reports, averaged over the hop once the window is full (the autoencoder runs on one step
/// in <c>hop</c>; the others only write the ring). Weights: every conv layer's matrix and bias, the bottleneck and the
/// expansion, counted once per scoring, over the hop. State: each step writes one ring row and the four counters; a
/// scoring reads the whole ring (over the hop). FLOPs: a conv layer is one product (2·rows·cols + rows) per output
/// position, a transposed one per input position plus its bias adds, one per ReLU value, and four per window element
/// for the weighted clipped squared error; all over the hop, plus the input's normalisation (two per feature) every step.
/// </summary>
public sealed partial class CaeModel : IStepCost
{
    /// <inheritdoc />
    public long WeightBytesPerStep
    {
        get
        {
            long bytes = Bottleneck.StoredBytes + Expand.StoredBytes + 4L * (BottleneckBias.Length + ExpandBias.Length);
            foreach (var l in Encoder) bytes += l.Weight.StoredBytes + 4L * l.Bias.Length;
            foreach (var l in Decoder) bytes += l.Weight.StoredBytes + 4L * l.Bias.Length;
            return bytes / Config.Hop;
        }
    }

    /// <inheritdoc />
    public long StateBytesPerStep => 4L * (Config.InputDim + 4) + 4L * Config.Window * Config.InputDim / Config.Hop;

    /// <inheritdoc />
    public long FlopsPerStep
    {
        get
        {
            var c = Config;
            long score = Flops(Bottleneck) + Flops(Expand) + Expand.Rows + 4L * c.Window * c.InputDim;
            foreach (var l in Encoder) score += l.OutLength * (Flops(l.Weight) + l.OutChannels);
            foreach (var l in Decoder) score += l.InLength * 2L * l.Weight.Rows * l.Weight.Cols + 2L * l.OutLength * l.OutChannels;
            return score / c.Hop + 2L * c.InputDim;
        }
    }

    private static long Flops(PackedMatrix m) => 2L * m.Rows * m.Cols + m.Rows;
}
