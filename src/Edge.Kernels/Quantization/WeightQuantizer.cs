namespace Edge.Kernels;

/// <summary>
/// The rounding rules of the reduced storages, shared by <see cref="PackedMatrix"/> and by package writers,
/// so weights quantized into a file and quantized again at load land on the same integers.
/// </summary>
public static class WeightQuantizer
{
    /// <summary>Columns that share one scale in <see cref="MatrixStorage.Q4"/>.</summary>
    public const int Q4Group = 32;

    /// <summary>The int8 scale of a row: its largest magnitude over 127 (1 for an all-zero row, whose integers are all 0).</summary>
    public static float Int8Scale(ReadOnlySpan<float> row)
    {
        float max = 0;
        foreach (float v in row) max = Math.Max(max, Math.Abs(v));
        return max > 0 ? max / 127f : 1f;
    }

    /// <summary>round(w / scale), clamped to [-127, 127].</summary>
    public static sbyte Int8(float w, float scale) => (sbyte)Math.Clamp(MathF.Round(w / scale), -127f, 127f);

    /// <summary>
    /// The 4-bit scale of a group, as ggml's Q4_0: the signed value of largest magnitude maps to −8, so the
    /// scale is that value over −8 (the group's integers then span −8..7); 0 for an all-zero group.
    /// </summary>
    public static float Q4Scale(ReadOnlySpan<float> group)
    {
        float max = 0, signed = 0;
        foreach (float v in group)
        {
            if (Math.Abs(v) > max)
            {
                max = Math.Abs(v);
                signed = v;
            }
        }
        return signed / -8f;
    }

    /// <summary>round(w / scale) + 8 clamped to 0..15 (8 for a zero scale): the stored nibble.</summary>
    public static byte Q4(float w, float scale) =>
        scale == 0 ? (byte)8 : (byte)Math.Clamp(MathF.Round(w / scale) + 8f, 0f, 15f);
}
