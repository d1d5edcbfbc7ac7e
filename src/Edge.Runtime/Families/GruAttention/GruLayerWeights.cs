using Edge.Backends;
using Edge.Kernels;
using Edge.Packages;

namespace Edge.Families.GruAttention;

/// <summary>
/// One GRU layer's weights, repacked once at load for the step: the reset and update rows of the input
/// and hidden matrices side by side (<c>[2H, in+H]</c>, one product over <c>[x; h]</c>), their biases
/// summed, and the candidate rows kept apart because the reset gate enters between them.
/// </summary>
internal sealed class GruLayerWeights
{
    public GruLayerWeights(int input, int hidden, float[] wih, float[] whh, float[] bih, float[] bhh, WeightPrecision precision)
    {
        Input = input;
        Hidden = hidden;
        int cols = input + hidden;
        var resetUpdate = new float[2 * hidden * cols];
        ResetUpdateBias = new float[2 * hidden];
        for (int row = 0; row < 2 * hidden; row++)
        {
            wih.AsSpan(row * input, input).CopyTo(resetUpdate.AsSpan(row * cols));
            whh.AsSpan(row * hidden, hidden).CopyTo(resetUpdate.AsSpan(row * cols + input));
            ResetUpdateBias[row] = bih[row] + bhh[row];
        }
        ResetUpdate = WeightPacking.Pack(resetUpdate, 2 * hidden, cols, precision, "gru reset and update rows");
        CandidateInput = WeightPacking.Pack(wih.AsSpan(2 * hidden * input), hidden, input, precision, "gru input candidate rows");
        CandidateInputBias = bih.AsSpan(2 * hidden).ToArray();
        CandidateHidden = WeightPacking.Pack(whh.AsSpan(2 * hidden * hidden), hidden, hidden, precision, "gru hidden candidate rows");
        CandidateHiddenBias = bhh.AsSpan(2 * hidden).ToArray();
    }

    public int Input { get; }
    public int Hidden { get; }

    /// <summary>[W_ir | W_hr; W_iz | W_hz], shape [2H, in+H].</summary>
    public PackedMatrix ResetUpdate { get; }

    /// <summary>b_ir + b_hr, b_iz + b_hz.</summary>
    public float[] ResetUpdateBias { get; }

    /// <summary>W_in [H, in].</summary>
    public PackedMatrix CandidateInput { get; }

    /// <summary>b_in [H].</summary>
    public float[] CandidateInputBias { get; }

    /// <summary>W_hn [H, H].</summary>
    public PackedMatrix CandidateHidden { get; }

    /// <summary>b_hn [H].</summary>
    public float[] CandidateHiddenBias { get; }
}
