using Edge.Kernels;

namespace Edge.Families.Aaren;

/// <summary>
/// One aaren layer's weights as the CPU step reads them. The learned query makes <c>q</c> a constant, so
/// each head's score folds into one row: <c>s_j = (q_j · (W_k u + b_k)_j) / √Dh = ŵ_j · u + β_j</c> with
/// <c>ŵ_j = W_k[j]ᵀ q_j / √Dh</c> and <c>β_j = q_j · b_k[j] / √Dh</c>, computed in double at load.
/// <see cref="ValueScore"/> stacks <c>W_v</c> and the <c>ŵ_j</c> rows so one product gives the values and all scores.
/// The raw projections stay for the KV-cache Transformer baseline, which needs a per-step query. Read-only:
/// shared by every stream of the model.
/// </summary>
public sealed class AarenLayerWeights
{
    /// <summary>LayerNorm before attention: scale [D].</summary>
    public required float[] Norm1Weight { get; init; }
    /// <summary>LayerNorm before attention: shift [D].</summary>
    public required float[] Norm1Bias { get; init; }

    /// <summary><c>[D + NH, D]</c>: rows <c>0..D−1</c> are <c>W_v</c>, row <c>D + j</c> is head j's score row <c>ŵ_j</c>.</summary>
    public required PackedMatrix ValueScore { get; init; }

    /// <summary><c>[D + NH]</c>: <c>b_v</c>, then <c>β_j</c>.</summary>
    public required float[] ValueScoreBias { get; init; }

    /// <summary>The constant query <c>q = W_q query + b_q</c> (<c>[D]</c>), for reports and tests.</summary>
    public required float[] Query { get; init; }

    /// <summary><c>W_q</c> [D, D].</summary>
    public required float[] QueryProj { get; init; }
    /// <summary><c>b_q</c> [D].</summary>
    public required float[] QueryBias { get; init; }
    /// <summary><c>W_k</c> [D, D].</summary>
    public required float[] KeyProj { get; init; }
    /// <summary><c>b_k</c> [D].</summary>
    public required float[] KeyBias { get; init; }
    /// <summary><c>W_v</c> [D, D].</summary>
    public required float[] ValueProj { get; init; }
    /// <summary><c>b_v</c> [D].</summary>
    public required float[] ValueBias { get; init; }

    /// <summary>Attention output projection [D, D].</summary>
    public required PackedMatrix OutProj { get; init; }
    /// <summary>Its bias [D].</summary>
    public required float[] OutBias { get; init; }
    /// <summary>LayerNorm before the feed-forward: scale [D].</summary>
    public required float[] Norm2Weight { get; init; }
    /// <summary>Its shift [D].</summary>
    public required float[] Norm2Bias { get; init; }
    /// <summary>Feed-forward in [Fd, D].</summary>
    public required PackedMatrix Fc1 { get; init; }
    /// <summary>Its bias [Fd].</summary>
    public required float[] Fc1Bias { get; init; }
    /// <summary>Feed-forward out [D, Fd].</summary>
    public required PackedMatrix Fc2 { get; init; }
    /// <summary>Its bias [D].</summary>
    public required float[] Fc2Bias { get; init; }
}
