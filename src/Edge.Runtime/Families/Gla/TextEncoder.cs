using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using Edge.Kernels;

namespace Edge.Families.Gla;

/// <summary>
/// Lina-Speech's text encoder, run once per utterance: <c>x = txt_embed[ids]</c>, then per block
/// <c>x += concat_heads(softmax(q kᵀ / √hd) v)</c> (rotary q and k, non-causal, no output projection) and
/// <c>x += SwiGLU(norm2(x))</c>; no final norm.
/// </summary>
internal static class TextEncoder
{
    /// <summary>Encodes <paramref name="ids"/> into <c>ws.X[..J·d]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Encode(GlaConfig c, float[] embed, TextEncoderBlock[] blocks, ReadOnlySpan<int> ids, TextWorkspace ws)
    {
        int d = c.DModel, j = ids.Length;
        for (int t = 0; t < j; t++) embed.AsSpan(ids[t] * d, d).CopyTo(ws.X.AsSpan(t * d, d));
        foreach (var b in blocks)
        {
            for (int t = 0; t < j; t++)
            {
                b.Norm1.Apply(ws.X.AsSpan(t * d, d), ws.Normed.AsSpan(t * d, d));
                MatVec.MultiplyAddBias(b.Qkv, ws.Normed.AsSpan(t * d, d), b.QkvBias, ws.Qkv.AsSpan(t * 3 * d, 3 * d));
                for (int h = 0; h < c.TextHeads; h++)
                {
                    Rotate(ws.Qkv.AsSpan(t * 3 * d + h * c.TextHeadDim, c.TextHeadDim), t, b.RotaryFreqs);
                    Rotate(ws.Qkv.AsSpan(t * 3 * d + d + h * c.TextHeadDim, c.TextHeadDim), t, b.RotaryFreqs);
                }
            }
            Attend(c, ws, j);
            for (int t = 0; t < j; t++)
            {
                Span<float> x = ws.X.AsSpan(t * d, d);
                b.Norm2.Apply(x, ws.Normed.AsSpan(0, d));
                b.ChannelMix.Accumulate(ws.Normed.AsSpan(0, d), ws.Hidden, x);
            }
        }
    }

    // Interleaved pairs (x_2i, x_2i+1) of the first 2·len(freqs) dims turn by pos·freqs[i]; the angle is
    // formed in double so long texts keep their phase.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rotate(Span<float> head, int pos, float[] freqs)
    {
        for (int i = 0; i < freqs.Length; i++)
        {
            double angle = pos * (double)freqs[i];
            float cos = (float)Math.Cos(angle), sin = (float)Math.Sin(angle);
            float a = head[2 * i], b = head[2 * i + 1];
            head[2 * i] = a * cos - b * sin;
            head[2 * i + 1] = b * cos + a * sin;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Attend(GlaConfig c, TextWorkspace ws, int j)
    {
        int d = c.DModel, hd = c.TextHeadDim;
        float scale = (float)(1.0 / Math.Sqrt(hd));
        Span<float> scores = ws.Row.AsSpan(0, j);
        for (int t = 0; t < j; t++)
        {
            Span<float> output = ws.AttentionOut;
            for (int h = 0; h < c.TextHeads; h++)
            {
                ReadOnlySpan<float> q = ws.Qkv.AsSpan(t * 3 * d + h * hd, hd);
                for (int u = 0; u < j; u++) scores[u] = TensorPrimitives.Dot(q, ws.Qkv.AsSpan(u * 3 * d + d + h * hd, hd)) * scale;
                Softmax.Apply(scores, scores);
                Span<float> o = output.Slice(h * hd, hd);
                o.Clear();
                for (int u = 0; u < j; u++) TensorPrimitives.MultiplyAdd(ws.Qkv.AsSpan(u * 3 * d + 2 * d + h * hd, hd), scores[u], o, o);
            }
            TensorPrimitives.Add(ws.X.AsSpan(t * d, d), output, ws.X.AsSpan(t * d, d));
        }
    }
}
