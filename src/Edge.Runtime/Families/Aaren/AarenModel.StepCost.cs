using Edge.Backends;
using Edge.Kernels;

namespace Edge.Families.Aaren;

/// <summary>
/// A step's cost for roofline reports. Weights: the input projection, every layer's norms, fused value-and-score matrix,
/// output projection and feed-forward pair with their biases, the final norm, the head and the scalers (the query-side
/// matrices folded at load are not read). State: the whole state (m, c and a, in f64) read and written. FLOPs:
/// 2·rows·cols + rows per product, eight per element per LayerNorm, four per element of the running softmax's
/// a (in double), one per feed-forward activation and two per element of each residual add.
/// </summary>
public sealed partial class AarenModel : IStepCost
{
    /// <inheritdoc />
    public long WeightBytesPerStep
    {
        get
        {
            var c = Config;
            long floats = InBias.Length + NormFWeight.Length + NormFBias.Length + HeadBias.Length
                + c.InputMean.Length + c.InputStd.Length + c.OutputMean.Length + c.OutputStd.Length;
            long bytes = InProj.StoredBytes + HeadWeight.StoredBytes;
            foreach (var l in Layers)
            {
                bytes += l.ValueScore.StoredBytes + l.OutProj.StoredBytes + l.Fc1.StoredBytes + l.Fc2.StoredBytes;
                floats += l.Norm1Weight.Length + l.Norm1Bias.Length + l.ValueScoreBias.Length + l.OutBias.Length
                    + l.Norm2Weight.Length + l.Norm2Bias.Length + l.Fc1Bias.Length + l.Fc2Bias.Length;
            }
            return bytes + 4 * floats;
        }
    }

    /// <inheritdoc />
    public long StateBytesPerStep => 2L * State.Bytes;

    /// <inheritdoc />
    public long FlopsPerStep
    {
        get
        {
            var c = Config;
            long d = c.DModel;
            long flops = Flops(InProj) + Flops(HeadWeight) + 8 * d + 2L * c.InputDim + 2L * c.OutputDim;
            foreach (var l in Layers)
                flops += Flops(l.ValueScore) + Flops(l.OutProj) + Flops(l.Fc1) + Flops(l.Fc2) + 2 * 8 * d + 4 * d + c.Heads + c.FfnDim + 2 * 2 * d;
            return flops;
        }
    }

    private static long Flops(PackedMatrix m) => 2L * m.Rows * m.Cols + m.Rows;
}
