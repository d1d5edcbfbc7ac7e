using System.Numerics.Tensors;
using Edge.Kernels;

namespace Edge.Families.Gla;

/// <summary>
/// One recurrent step of a gated linear attention layer (docs/families/gla-tts.md, fla's GatedLinearAttention as
/// Lina-Speech configures it). The state slice holds the three conv rings (oldest column first) then S.
/// </summary>
internal static class GlaLayer
{
    /// <summary>Advances the layer one step and adds its output to <paramref name="residual"/>.</summary>
    /// <param name="w">The layer's weights.</param>
    /// <param name="x">The layer input (the block's normed vector), length w.</param>
    /// <param name="state">The layer's state: rings (if any) then S [H, Kh, Vh].</param>
    /// <param name="scratch">Buffers for this layer shape.</param>
    /// <param name="residual">Receives <c>residual += o_proj(o)</c>.</param>
    /// <param name="threads">The threads the projections are split across (null: this one).</param>
    public static void Step(GlaLayerWeights w, ReadOnlySpan<float> x, Span<float> state, GlaScratch scratch, Span<float> residual, KernelThreads? threads = null)
    {
        Span<float> proj = scratch.Projection;
        w.InProj.Multiply(x, proj, threads);
        Recur(w, proj, state, scratch.Decay, scratch.Output, scratch.Heads, threads);
        w.OutProj.MultiplyAccumulate(scratch.Output, residual, threads);
    }

    /// <summary>
    /// The part of a step between the two products, for one stream: short convolutions, gate, decay, the recurrence
    /// on the stream's S in place and the gated RmsNorm. Shared by the one-stream step and the batched one
    /// (<see cref="GlaTtsBatchStep"/>), which runs the products for all streams at once.
    /// </summary>
    /// <param name="w">The layer's weights.</param>
    /// <param name="proj">The in-projection <c>[q; k; v; g; gk_low]</c> of this stream's input (overwritten).</param>
    /// <param name="state">The stream's layer state: rings (if any) then S [H, Kh, Vh], advanced in place.</param>
    /// <param name="decay">Kd floats of scratch.</param>
    /// <param name="o">Receives the Vd floats o_proj takes.</param>
    /// <param name="heads">With <paramref name="threads"/>: the stream's <see cref="GlaHeads"/>, to share the heads' recurrences among the threads.</param>
    /// <param name="threads">The pool the heads are shared among (null: this thread; the batched step shares whole streams instead).</param>
    public static void Recur(GlaLayerWeights w, Span<float> proj, Span<float> state, Span<float> decay, Span<float> o, GlaHeads? heads = null, KernelThreads? threads = null)
    {
        var s = w.Shape;
        int kd = s.KeyDim, vd = s.ValueDim, kh = s.HeadKeyDim, vh = s.HeadValueDim;
        Span<float> q = proj[..kd], k = proj.Slice(kd, kd), v = proj.Slice(2 * kd, vd), g = proj.Slice(2 * kd + vd, vd);
        ReadOnlySpan<float> low = proj.Slice(2 * kd + 2 * vd, s.GateRank);

        if (s.UseShortConv)
        {
            // The q, k, v rings are adjacent in the state as q, k, v are in proj: one pass over all three.
            Span<float> qkv = proj[..(2 * kd + vd)];
            ShortConvolution.Step(state[..s.RingLength], w.Conv!, qkv, s.ConvSize);
            Silu.Apply(qkv, qkv);
        }

        // gk = logsigmoid(W2 W1 x + b2) / normalizer; the decay is exp(gk).
        MatVec.MultiplyAddBias(w.GateUp, low, w.GateBias, decay);
        LogSigmoid.Apply(decay, decay);
        TensorPrimitives.Divide(decay, s.GateNormalizer, decay);
        TensorPrimitives.Exp(decay, decay);

        TensorPrimitives.Multiply(q, (float)(1.0 / Math.Sqrt(kh)), q);
        Span<float> S = state.Slice(s.RingLength, s.StateMatrixLength);
        if (heads is not null) heads.Step(S, decay, k, v, q, o, s.Heads, threads);
        else
        {
            for (int h = 0; h < s.Heads; h++)
                GlaRecurrence.Step(S.Slice(h * kh * vh, kh * vh), decay.Slice(h * kh, kh), k.Slice(h * kh, kh),
                    v.Slice(h * vh, vh), q.Slice(h * kh, kh), o.Slice(h * vh, vh));
        }
        for (int h = 0; h < s.Heads; h++) RmsNorm.Normalize(o.Slice(h * vh, vh), w.NormWeight, s.Eps, o.Slice(h * vh, vh));
        Silu.Apply(g, g);
        TensorPrimitives.Multiply(o, g, o);
    }
}
