using Edge.Backends;
using Edge.Kernels;

namespace Edge.Families.GruAttention;

/// <summary>
/// A step's cost for roofline reports. Weights: every GRU layer's three matrices and biases, the attention's projection,
/// bias and context vector, the head and the input and output scalers. State: unwindowed, the whole state (h in f32, the
/// running sums m, c, a in f64) read and written; windowed, the whole ring read and h, one ring row and the two counters written. FLOPs: 2·rows·cols + rows per
/// product (its bias), eight per hidden unit per layer for the gates (two sigmoids, r ⊙, tanh, the blend), the attention's
/// tanh and dot, and its softmax: about 8·H unwindowed, 2·W·(H + 2) over a window of W.
/// </summary>
public sealed partial class GruAttentionModel : IStepCost
{
    /// <inheritdoc />
    public long WeightBytesPerStep
    {
        get
        {
            var c = Config;
            long bytes = Bytes(AttnProj) + Bytes(HeadWeight) + 4L * (AttnBias.Length + AttnContext.Length + HeadBias.Length)
                + 4L * (c.InputMean.Length + c.InputStd.Length + c.OutputMean.Length + c.OutputStd.Length);
            foreach (var l in Layers)
                bytes += Bytes(l.ResetUpdate) + Bytes(l.CandidateInput) + Bytes(l.CandidateHidden)
                    + 4L * (l.ResetUpdateBias.Length + l.CandidateInputBias.Length + l.CandidateHiddenBias.Length);
            return bytes;
        }
    }

    /// <inheritdoc />
    public long StateBytesPerStep
    {
        get
        {
            var c = Config;
            return c.AttentionWindow == 0 ? 2L * State.Bytes : State.Bytes + 4L * (c.Layers * c.Hidden + c.Hidden + 1 + 2);
        }
    }

    /// <inheritdoc />
    public long FlopsPerStep
    {
        get
        {
            var c = Config;
            long h = c.Hidden, flops = Flops(AttnProj) + Flops(HeadWeight) + 2L * c.AttnDim + c.AttnDim + 2L * c.InputDim + 2L * c.OutputDim;
            foreach (var l in Layers) flops += Flops(l.ResetUpdate) + Flops(l.CandidateInput) + Flops(l.CandidateHidden) + 8 * h;
            flops += c.AttentionWindow == 0 ? 8 * h : 2L * c.AttentionWindow * (h + 2);
            return flops;
        }
    }

    private static long Bytes(PackedMatrix m) => m.StoredBytes;

    private static long Flops(PackedMatrix m) => 2L * m.Rows * m.Cols + m.Rows;
}
