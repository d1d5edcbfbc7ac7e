using Edge.Backends;

namespace Edge.Families.Gla;

/// <summary>
/// A decoder step's cost for roofline reports. Weights: <see cref="StepWeightBytes"/> (every block, the cross-attention's
/// query side and pos_net, the logits head, one embedding row per quantizer). State: the whole state (rings and S of every
/// layer) read and written. FLOPs: two per weight float (a multiply-add; the matrices dominate), five per element of
/// every layer's S (decay, the k·vᵀ update and the q·S read-out) and two per conv ring element. The cross-attention's
/// two softmaxes over the text (about 8·T·d_blind for T text tokens) are left out: under 0.1% at release size.
/// </summary>
public sealed partial class GlaTtsModel : IStepCost
{
    /// <inheritdoc />
    public long WeightBytesPerStep => StepWeightBytes;

    /// <inheritdoc />
    public long StateBytesPerStep => 2L * State.Bytes;

    /// <inheritdoc />
    public long FlopsPerStep
    {
        get
        {
            var main = Config.MainLayer;
            var pos = Config.PosNetLayer;
            long layers = Config.EncoderLayers + Config.DecoderLayers;
            long recurrence = layers * (5L * main.StateMatrixLength + 2L * main.RingLength) + 5L * pos.StateMatrixLength + 2L * pos.RingLength;
            return 2 * StepWeightFloats + recurrence;
        }
    }
}
