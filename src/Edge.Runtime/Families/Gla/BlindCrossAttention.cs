using System.Runtime.CompilerServices;
using Edge.Kernels;
using Edge.Packages;

namespace Edge.Families.Gla;

/// <summary>
/// Lina-Speech's blind cross-attention (one head, no rotary). Once per utterance: <c>K = ln_k(k(ctx))</c>,
/// <c>V = ln_v(v(ctx))</c>, positions <c>P</c>. Per step: <c>qv = ln_q(q(y))</c>, <c>a1 = softmax(K qv / √d)</c>,
/// <c>z = pos_net(a1ᵀ P)</c> (a recurrent block of width d_blind), <c>a2 = softmax(P z / √d_blind)</c>, out = a2ᵀ V.
/// </summary>
internal sealed class BlindCrossAttention
{
    private BlindCrossAttention(GlaConfig c, float[] q, float[] qb, float[] k, float[] kb, float[] v, float[] vb,
        NormWeights lnQ, NormWeights lnK, NormWeights lnV, MixingBlock posNet, TextPositions positions)
    {
        Config = c;
        Q = q; QBias = qb; K = k; KBias = kb; V = v; VBias = vb;
        LnQ = lnQ; LnK = lnK; LnV = lnV;
        PosNet = posNet;
        Positions = positions;
    }

    public GlaConfig Config { get; }
    public float[] Q { get; }
    public float[] QBias { get; }
    public float[] K { get; }
    public float[] KBias { get; }
    public float[] V { get; }
    public float[] VBias { get; }
    public NormWeights LnQ { get; }
    public NormWeights LnK { get; }
    public NormWeights LnV { get; }
    public MixingBlock PosNet { get; }
    public TextPositions Positions { get; }

    /// <summary>Floats a decoder step reads from weights (q, ln_q and the pos_net; K, V, P are per-utterance data).</summary>
    public long StepWeightFloats => Q.LongLength + QBias.Length + 2L * Config.DModel + PosNet.WeightFloats;

    /// <summary>Takes <c>{prefix}q.*</c>, <c>k.*</c>, <c>v.*</c>, <c>ln_q/k/v.*</c>, <c>pos_net.*</c>, <c>pos_embed.*</c>.</summary>
    public static BlindCrossAttention Load(ModelWeights w, string prefix, GlaConfig c)
    {
        int d = c.DModel;
        return new BlindCrossAttention(c,
            w.Take($"{prefix}q.weight", d, d), w.Take($"{prefix}q.bias", d),
            w.Take($"{prefix}k.weight", d, d), w.Take($"{prefix}k.bias", d),
            w.Take($"{prefix}v.weight", d, d), w.Take($"{prefix}v.bias", d),
            NormWeights.Load(w, $"{prefix}ln_q", d, c.Eps), NormWeights.Load(w, $"{prefix}ln_k", d, c.Eps),
            NormWeights.Load(w, $"{prefix}ln_v", d, c.Eps),
            MixingBlock.Load(w, $"{prefix}pos_net.", c.PosNetLayer, WeightPrecision.Fp32),   // d_blind wide: a few KB, kept fp32
            TextPositions.Load(w, $"{prefix}pos_embed.", c));
    }

    /// <summary>Computes K, Vᵀ, P and Pᵀ from the text encoder's output <c>ws.X[..J·d]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Prepare(TextWorkspace ws, int j)
    {
        int d = Config.DModel, db = Config.DBlind;
        Span<float> row = ws.Normed.AsSpan(0, d);
        for (int t = 0; t < j; t++)
        {
            ReadOnlySpan<float> ctx = ws.X.AsSpan(t * d, d);
            MatVec.MultiplyAddBias(K, ctx, KBias, row);
            LnK.Apply(row, ws.Keys.AsSpan(t * d, d));
            MatVec.MultiplyAddBias(V, ctx, VBias, row);
            LnV.Apply(row, row);
            for (int i = 0; i < d; i++) ws.ValuesT[i * j + t] = row[i];
        }
        Positions.Fill(j, ws.Positions.AsSpan(0, j * db));
        for (int t = 0; t < j; t++)
            for (int i = 0; i < db; i++) ws.PositionsT[i * j + t] = ws.Positions[t * db + i];
    }

    /// <summary>Adds the attention's output to <paramref name="y"/> (read first as the query); advances the pos_net state.</summary>
    public void Step(Span<float> y, TextWorkspace ws, Span<float> posNetState, CrossScratch s)
    {
        int d = Config.DModel, db = Config.DBlind, j = ws.Length;
        Span<float> qv = s.Query;
        MatVec.MultiplyAddBias(Q, y, QBias, qv);
        LnQ.Apply(qv, qv);
        Span<float> scores = ws.Row.AsSpan(0, j);   // a1, then a2
        MatVec.Multiply(ws.Keys.AsSpan(0, j * d), qv, scores);
        System.Numerics.Tensors.TensorPrimitives.Multiply(scores, (float)(1.0 / Math.Sqrt(d)), scores);
        Softmax.Apply(scores, scores);
        Span<float> z = s.Position;
        MatVec.Multiply(ws.PositionsT.AsSpan(0, db * j), scores, z);
        PosNet.Step(z, posNetState, s.PosNet);
        MatVec.Multiply(ws.Positions.AsSpan(0, j * db), z, scores);
        System.Numerics.Tensors.TensorPrimitives.Multiply(scores, (float)(1.0 / Math.Sqrt(db)), scores);
        Softmax.Apply(scores, scores);
        MatVec.MultiplyAccumulate(ws.ValuesT.AsSpan(0, d * j), scores, y);
    }
}
