using System.Numerics.Tensors;
using Edge.Kernels;

namespace Edge.Families.Aaren;

/// <summary>
/// The parts of a step that the aaren model and the KV-cache Transformer baseline share: input
/// projection, the attention output's residual, the feed-forward residual and the readout. Spans only.
/// </summary>
public static class AarenSublayers
{
    /// <summary><c>z = W_in ((x − mean) / std) + b_in</c>; <paramref name="x0"/> is scratch of <c>F</c> floats.</summary>
    public static void Embed(AarenModel model, ReadOnlySpan<float> input, Span<float> x0, Span<float> z)
    {
        var c = model.Config;
        TensorPrimitives.Subtract(input, c.InputMean, x0);
        TensorPrimitives.Divide(x0, c.InputStd, x0);
        model.InProj.MultiplyAddBias(x0, model.InBias, z);
    }

    /// <summary><c>z = z + W_o o + b_o</c>.</summary>
    public static void AddAttention(AarenLayerWeights w, ReadOnlySpan<float> o, Span<float> z)
    {
        w.OutProj.MultiplyAccumulate(o, z);
        TensorPrimitives.Add(z, w.OutBias, z);
    }

    /// <summary><c>h = act(h)</c> in place, the config's activation.</summary>
    public static void Activate(AarenActivation activation, Span<float> h)
    {
        switch (activation)
        {
            case AarenActivation.Silu: Silu.Apply(h, h); break;
            case AarenActivation.Relu: Relu.Apply(h, h); break;
            default: GeluTanh.Apply(h, h); break;
        }
    }

    /// <summary><c>z = z + W_2 act(W_1 LN2(z) + b_1) + b_2</c>; <paramref name="u"/> (<c>D</c>) and <paramref name="h"/> (<c>Fd</c>) are scratch.</summary>
    public static void AddFeedForward(AarenModel model, AarenLayerWeights w, Span<float> z, Span<float> u, Span<float> h)
    {
        LayerNorm.Normalize(z, w.Norm2Weight, w.Norm2Bias, model.Config.Eps, u);
        w.Fc1.MultiplyAddBias(u, w.Fc1Bias, h);
        Activate(model.Config.Activation, h);
        w.Fc2.MultiplyAccumulate(h, z);
        TensorPrimitives.Add(z, w.Fc2Bias, z);
    }

    /// <summary><c>output = (W_head LN_f(z) + b_head) ⊙ std + mean</c>; <paramref name="u"/> (<c>D</c>) and <paramref name="y"/> (<c>O</c>) are scratch.</summary>
    public static void Readout(AarenModel model, ReadOnlySpan<float> z, Span<float> u, Span<float> y, Span<float> output)
    {
        var c = model.Config;
        LayerNorm.Normalize(z, model.NormFWeight, model.NormFBias, c.Eps, u);
        model.HeadWeight.MultiplyAddBias(u, model.HeadBias, y);
        TensorPrimitives.MultiplyAdd(y, c.OutputStd, c.OutputMean, output);
    }
}
