using Edge.Backends;
using Edge.Kernels;
using Edge.Packages;

namespace Edge.Families.Cae;

/// <summary>
/// One encoder Conv1d, repacked once at load for position-major signals (<c>[L, C]</c>, a row per position):
/// output position j is one product of <c>[C_out, k·C_in]</c> with the k contiguous input rows
/// <c>j·s − p .. j·s − p + k − 1</c> of a zero-padded buffer.
/// </summary>
internal sealed class CaeEncoderLayer
{
    /// <summary>Repacks PyTorch's <c>weight [C_out, C_in, k]</c> to <c>[C_out, k, C_in]</c>.</summary>
    public CaeEncoderLayer(float[] weight, float[] bias, int inChannels, int outChannels, int kernel, int stride, int inLength, WeightPrecision precision)
    {
        (InChannels, OutChannels, Kernel, Stride, InLength) = (inChannels, outChannels, kernel, stride, inLength);
        var packed = new float[outChannels * kernel * inChannels];
        for (int o = 0; o < outChannels; o++)
            for (int c = 0; c < inChannels; c++)
                for (int u = 0; u < kernel; u++)
                    packed[(o * kernel + u) * inChannels + c] = weight[(o * inChannels + c) * kernel + u];
        Weight = WeightPacking.Pack(packed, outChannels, kernel * inChannels, precision, "an encoder convolution");
        Bias = bias;
    }

    public int InChannels { get; }
    public int OutChannels { get; }
    public int Kernel { get; }
    public int Stride { get; }
    public int InLength { get; }
    public int OutLength => InLength / Stride;
    public int Padding => (Kernel - 1) / 2;

    /// <summary>Rows of the zero-padded input buffer: the signal with p zero rows on each side.</summary>
    public int PaddedRows => InLength + 2 * Padding;

    public PackedMatrix Weight { get; }
    public float[] Bias { get; }

    /// <summary>y = ReLU(Conv1d(x)); <paramref name="padded"/> holds the input from row p, zeros around it; y is <c>[L_out, C_out]</c>.</summary>
    public void Apply(ReadOnlySpan<float> padded, Span<float> y)
    {
        int window = Kernel * InChannels, step = Stride * InChannels;
        for (int j = 0; j < OutLength; j++)
            Weight.MultiplyAddBias(padded.Slice(j * step, window), Bias, y.Slice(j * OutChannels, OutChannels));
        Relu.Apply(y.Slice(0, OutLength * OutChannels), y.Slice(0, OutLength * OutChannels));
    }
}
