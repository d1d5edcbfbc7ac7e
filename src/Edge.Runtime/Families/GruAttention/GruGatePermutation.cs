namespace Edge.Families.GruAttention;

/// <summary>
/// Converts GRU weights stored in ONNX or Keras layouts into PyTorch's: rows in gate order (r, z, n),
/// <c>[3H, in]</c> row-major, input and hidden biases separate. ONNX and Keras order gates (z, r, h).
/// </summary>
public static class GruGatePermutation
{
    /// <summary>PyTorch gate g (0 = r, 1 = z, 2 = n) sits at this block in ONNX/Keras order (z, r, h).</summary>
    private static readonly int[] SourceBlock = [1, 0, 2];

    /// <summary>From ONNX's W [3H,in], R [3H,H], B [6H] (leading num_directions = 1 dropped).</summary>
    public static (float[] WeightIh, float[] WeightHh, float[] BiasIh, float[] BiasHh) FromOnnx(
        ReadOnlySpan<float> w, ReadOnlySpan<float> r, ReadOnlySpan<float> b, int hidden, int input)
    {
        var wih = new float[3 * hidden * input];
        var whh = new float[3 * hidden * hidden];
        var bih = new float[3 * hidden];
        var bhh = new float[3 * hidden];
        for (int g = 0; g < 3; g++)
        {
            int src = SourceBlock[g];
            w.Slice(src * hidden * input, hidden * input).CopyTo(wih.AsSpan(g * hidden * input));
            r.Slice(src * hidden * hidden, hidden * hidden).CopyTo(whh.AsSpan(g * hidden * hidden));
            b.Slice(src * hidden, hidden).CopyTo(bih.AsSpan(g * hidden));
            b.Slice(3 * hidden + src * hidden, hidden).CopyTo(bhh.AsSpan(g * hidden));
        }
        return (wih, whh, bih, bhh);
    }

    /// <summary>From Keras's kernel [in,3H], recurrent_kernel [H,3H], bias [2,3H] (input bias row, then recurrent).</summary>
    public static (float[] WeightIh, float[] WeightHh, float[] BiasIh, float[] BiasHh) FromKeras(
        ReadOnlySpan<float> kernel, ReadOnlySpan<float> recurrent, ReadOnlySpan<float> bias, int hidden, int input)
    {
        var wih = new float[3 * hidden * input];
        var whh = new float[3 * hidden * hidden];
        var bih = new float[3 * hidden];
        var bhh = new float[3 * hidden];
        for (int g = 0; g < 3; g++)
        {
            int src = SourceBlock[g];
            for (int j = 0; j < hidden; j++)
            {
                int row = g * hidden + j, col = src * hidden + j;
                for (int i = 0; i < input; i++) wih[row * input + i] = kernel[i * 3 * hidden + col];
                for (int i = 0; i < hidden; i++) whh[row * hidden + i] = recurrent[i * 3 * hidden + col];
                bih[row] = bias[col];
                bhh[row] = bias[3 * hidden + col];
            }
        }
        return (wih, whh, bih, bhh);
    }
}
