namespace Edge.Families.Aaren;

/// <summary>
/// One aaren layer's weights as the CPU step reads them. The learned query makes <c>q</c> a constant, so
/// each head's score folds into one row: <c>s_j = (q_j · (W_k u + b_k)_j) / √Dh = ŵ_j · u + β_j</c> with
/// <c>ŵ_j = W_k[j]ᵀ q_j / √Dh</c> and <c>β_j = q_j · b_k[j] / √Dh</c>, computed in double at load.
/// <see cref="ValueScore"/> stacks <c>W_v</c> and the <c>ŵ_j</c> rows so one product gives the values and all scores.
/// The raw projections stay for the KV-cache Transformer baseline, which needs a per-step query.
/// </summary>
internal sealed class AarenLayerWeights
{
    public required float[] Norm1Weight { get; init; }
    public required float[] Norm1Bias { get; init; }

    /// <summary><c>[D + NH, D]</c>: rows <c>0..D−1</c> are <c>W_v</c>, row <c>D + j</c> is head j's score row <c>ŵ_j</c>.</summary>
    public required float[] ValueScore { get; init; }

    /// <summary><c>[D + NH]</c>: <c>b_v</c>, then <c>β_j</c>.</summary>
    public required float[] ValueScoreBias { get; init; }

    /// <summary>The constant query <c>q = W_q query + b_q</c> (<c>[D]</c>), for reports and tests.</summary>
    public required float[] Query { get; init; }

    public required float[] QueryProj { get; init; }
    public required float[] QueryBias { get; init; }
    public required float[] KeyProj { get; init; }
    public required float[] KeyBias { get; init; }
    public required float[] ValueProj { get; init; }
    public required float[] ValueBias { get; init; }

    public required float[] OutProj { get; init; }
    public required float[] OutBias { get; init; }
    public required float[] Norm2Weight { get; init; }
    public required float[] Norm2Bias { get; init; }
    public required float[] Fc1 { get; init; }
    public required float[] Fc1Bias { get; init; }
    public required float[] Fc2 { get; init; }
    public required float[] Fc2Bias { get; init; }
}
