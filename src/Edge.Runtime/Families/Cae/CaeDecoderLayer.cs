using Edge.Backends;
using Edge.Kernels;
using Edge.Packages;

namespace Edge.Families.Cae;

/// <summary>
/// One decoder ConvTranspose1d in scatter form for position-major signals: input position l adds the product
/// of <c>[k·C_out, C_in]</c> with its row to the k contiguous output rows <c>l·s − p .. l·s − p + k − 1</c>.
/// </summary>
internal sealed class CaeDecoderLayer
{
    /// <summary>Repacks PyTorch's <c>weight [C_in, C_out, k]</c> to <c>[k, C_out, C_in]</c>.</summary>
    public CaeDecoderLayer(float[] weight, float[] bias, int inChannels, int outChannels, int kernel, int stride, int inLength, bool relu, WeightPrecision precision)
    {
        (InChannels, OutChannels, Kernel, Stride, InLength, UseRelu) = (inChannels, outChannels, kernel, stride, inLength, relu);
        var packed = new float[kernel * outChannels * inChannels];
        for (int c = 0; c < inChannels; c++)
            for (int o = 0; o < outChannels; o++)
                for (int u = 0; u < kernel; u++)
                    packed[(u * outChannels + o) * inChannels + c] = weight[(c * outChannels + o) * kernel + u];
        Weight = WeightPacking.Pack(packed, kernel * outChannels, inChannels, precision, "a decoder convolution");
        Bias = bias;
    }

    public int InChannels { get; }
    public int OutChannels { get; }
    public int Kernel { get; }
    public int Stride { get; }
    public int InLength { get; }
    public bool UseRelu { get; }
    public int OutLength => InLength * Stride;
    public int Padding => (Kernel - 1) / 2;

    /// <summary>Rows of the accumulator: output positions −p onward, as far as any input reaches or the output needs.</summary>
    public int AccumulatorRows => Math.Max((InLength - 1) * Stride + Kernel, OutLength + Padding);

    public PackedMatrix Weight { get; }
    public float[] Bias { get; }

    /// <summary>y = ConvTranspose1d(x) (+ ReLU); x is <c>[L_in, C_in]</c>, y <c>[L_in·s, C_out]</c>, <paramref name="accumulator"/> scratch of <see cref="AccumulatorRows"/> rows.</summary>
    public void Apply(ReadOnlySpan<float> x, Span<float> accumulator, Span<float> y)
    {
        int block = Kernel * OutChannels;
        accumulator = accumulator.Slice(0, AccumulatorRows * OutChannels);
        accumulator.Clear();
        for (int l = 0; l < InLength; l++)
            Weight.MultiplyAccumulate(x.Slice(l * InChannels, InChannels), accumulator.Slice(l * Stride * OutChannels, block));
        // Accumulator row r is output position r − p; positions past L·s − 1 are cut (output_padding s − 1).
        for (int j = 0; j < OutLength; j++)
        {
            var row = y.Slice(j * OutChannels, OutChannels);
            System.Numerics.Tensors.TensorPrimitives.Add(accumulator.Slice((j + Padding) * OutChannels, OutChannels), Bias, row);
        }
        if (UseRelu) Relu.Apply(y.Slice(0, OutLength * OutChannels), y.Slice(0, OutLength * OutChannels));
    }
}
