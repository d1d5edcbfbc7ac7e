using Edge.Backends;
using Edge.Kernels;
using Edge.Packages;

namespace Edge.Families.Gla;

/// <summary>
/// One GLA layer's weights, repacked once at load: the four projections that read the layer input
/// (<c>q_proj, k_proj, v_proj, g_proj</c>) and the gate's first low-rank factor stacked into one matrix, so
/// a step reads them in a single matrix-vector pass.
/// </summary>
internal sealed class GlaLayerWeights
{
    private GlaLayerWeights(GlaLayerShape shape, PackedMatrix inProj, float[] gateUp, float[] gateBias, PackedMatrix outProj,
        float[]? conv, float[] normWeight)
    {
        Shape = shape;
        InProj = inProj;
        GateUp = gateUp;
        GateBias = gateBias;
        OutProj = outProj;
        Conv = conv;
        NormWeight = normWeight;
    }

    public GlaLayerShape Shape { get; }

    /// <summary>[q_proj; k_proj; v_proj; g_proj; gk_proj.0], shape [2Kd + 2Vd + r, w].</summary>
    public PackedMatrix InProj { get; }

    /// <summary>gk_proj.1.weight [Kd, r].</summary>
    public float[] GateUp { get; }

    /// <summary>gk_proj.1.bias [Kd].</summary>
    public float[] GateBias { get; }

    /// <summary>o_proj.weight [w, Vd].</summary>
    public PackedMatrix OutProj { get; }

    /// <summary>
    /// [q_conv1d; k_conv1d; v_conv1d] weights as [2Kd + Vd, conv_size], in the order of the q, k, v rings and
    /// projections, so one convolution step covers all three (null without short convolutions).
    /// </summary>
    public float[]? Conv { get; }

    /// <summary>g_norm_swish_gate.weight [Vh], shared by the heads.</summary>
    public float[] NormWeight { get; }

    /// <summary>Floats a step reads from this layer's weights.</summary>
    public long WeightFloats => (long)InProj.Rows * InProj.Cols + GateUp.Length + GateBias.Length + (long)OutProj.Rows * OutProj.Cols
        + (Conv?.Length ?? 0) + NormWeight.Length;

    /// <summary>Bytes a step reads from this layer's weights, at the precision the matrices are kept.</summary>
    public long WeightBytes => InProj.StoredBytes + OutProj.StoredBytes + 4L * (GateUp.Length + GateBias.Length + (Conv?.Length ?? 0) + NormWeight.Length);

    /// <summary>Takes the layer's tensors named <c>{prefix}q_proj.weight</c> etc. (prefix includes any trailing dot).</summary>
    public static GlaLayerWeights Load(ModelWeights w, string prefix, GlaLayerShape s, WeightPrecision precision = WeightPrecision.Fp32)
    {
        int width = s.Width, kd = s.KeyDim, vd = s.ValueDim, r = s.GateRank;
        var inProj = new float[(long)s.ProjectionRows * width];
        int at = 0;
        foreach (var (name, rows) in new[] { ("q_proj", kd), ("k_proj", kd), ("v_proj", vd), ("g_proj", vd), ("gk_proj.0", r) })
        {
            var t = w.Take($"{prefix}{name}.weight", rows, width);
            t.CopyTo(inProj, at);
            at += t.Length;
        }
        float[]? conv = null;
        if (s.UseShortConv)
        {
            conv = new float[s.RingLength];
            at = 0;
            foreach (var (name, channels) in new[] { ("q_conv1d", kd), ("k_conv1d", kd), ("v_conv1d", vd) })
            {
                var t = w.Take($"{prefix}{name}.weight", channels, 1, s.ConvSize);
                t.CopyTo(conv, at);
                at += t.Length;
            }
        }
        return new GlaLayerWeights(s, WeightPacking.Pack(inProj, s.ProjectionRows, width, precision, $"{prefix}q/k/v/g/gk_proj.0 weights"),
            w.Take($"{prefix}gk_proj.1.weight", kd, r), w.Take($"{prefix}gk_proj.1.bias", kd),
            WeightPacking.Pack(w.Take($"{prefix}o_proj.weight", width, vd), width, vd, precision, $"{prefix}o_proj.weight"), conv,
            w.Take($"{prefix}g_norm_swish_gate.weight", s.HeadValueDim));
    }
}
