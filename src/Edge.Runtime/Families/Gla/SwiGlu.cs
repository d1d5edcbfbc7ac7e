using System.Numerics.Tensors;
using Edge.Backends;
using Edge.Kernels;
using Edge.Packages;

namespace Edge.Families.Gla;

/// <summary>
/// Lina-Speech's channel mix: <c>[a | b] = p_in(x)</c> (<c>w → 2·⌊4w/3⌋</c>, bias; <c>a</c> the first half),
/// <c>y = p_out(SiLU(a) ⊙ b)</c> (bias).
/// </summary>
internal sealed class SwiGlu
{
    private SwiGlu(int width, int hidden, PackedMatrix inWeight, float[] inBias, PackedMatrix outWeight, float[] outBias)
    {
        Width = width;
        Hidden = hidden;
        InWeight = inWeight;
        InBias = inBias;
        OutWeight = outWeight;
        OutBias = outBias;
    }

    public int Width { get; }

    /// <summary>⌊4w/3⌋.</summary>
    public int Hidden { get; }

    public PackedMatrix InWeight { get; }
    public float[] InBias { get; }
    public PackedMatrix OutWeight { get; }
    public float[] OutBias { get; }

    /// <summary>Floats a step reads.</summary>
    public long WeightFloats => (long)InWeight.Rows * InWeight.Cols + InBias.Length + (long)OutWeight.Rows * OutWeight.Cols + OutBias.Length;

    /// <summary>Bytes a step reads, at the precision the matrices are kept.</summary>
    public long WeightBytes => InWeight.StoredBytes + 4L * InBias.Length + OutWeight.StoredBytes + 4L * OutBias.Length;

    /// <summary>Takes <c>{prefix}p_in.*</c> and <c>{prefix}p_out.*</c>.</summary>
    public static SwiGlu Load(ModelWeights w, string prefix, int width, WeightPrecision precision = WeightPrecision.Fp32)
    {
        int f = width * 4 / 3;
        return new SwiGlu(width, f, WeightPacking.Pack(w.Take($"{prefix}p_in.weight", 2 * f, width), 2 * f, width, precision, $"{prefix}p_in.weight"),
            w.Take($"{prefix}p_in.bias", 2 * f),
            WeightPacking.Pack(w.Take($"{prefix}p_out.weight", width, f), width, f, precision, $"{prefix}p_out.weight"), w.Take($"{prefix}p_out.bias", width));
    }

    /// <summary>Adds <c>p_out(SiLU(a) ⊙ b)</c> to <paramref name="residual"/>; <paramref name="hidden"/> holds 2·⌊4w/3⌋ floats.</summary>
    public void Accumulate(ReadOnlySpan<float> x, Span<float> hidden, Span<float> residual, KernelThreads? threads = null)
    {
        InWeight.MultiplyAddBias(x, InBias, hidden, threads);
        Span<float> a = hidden[..Hidden];
        Gate(hidden, a);
        OutWeight.MultiplyAccumulate(a, residual, threads);
        TensorPrimitives.Add(residual, OutBias, residual);
    }

    /// <summary>
    /// <c>gated = SiLU(a) ⊙ b</c> of one stream's <c>[a | b]</c> (<paramref name="hidden"/>; its <c>a</c> is overwritten);
    /// <paramref name="gated"/> may be that <c>a</c> itself. Shared by the one-stream and the batched step.
    /// </summary>
    public void Gate(Span<float> hidden, Span<float> gated)
    {
        Span<float> a = hidden[..Hidden], b = hidden.Slice(Hidden, Hidden);
        Silu.Apply(a, a);
        TensorPrimitives.Multiply(a, b, gated);
    }
}
