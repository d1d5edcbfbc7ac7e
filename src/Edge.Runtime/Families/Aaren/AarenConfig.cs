using Edge.Packages;

namespace Edge.Families.Aaren;

/// <summary>The aaren config (docs/package-format.md), validated.</summary>
/// <param name="InputDim">Floats per step input, <c>F</c>.</param>
/// <param name="DModel">Model width <c>D</c>.</param>
/// <param name="Heads">Attention heads <c>NH</c>; <c>D</c> is a multiple of it.</param>
/// <param name="Layers">Layers <c>L</c>.</param>
/// <param name="FfnDim">Feed-forward width <c>Fd</c>.</param>
/// <param name="Activation">Feed-forward activation.</param>
/// <param name="OutputDim">Floats per step output, <c>O</c>.</param>
/// <param name="Eps">LayerNorm epsilon.</param>
/// <param name="InputMean">Subtracted from the input.</param>
/// <param name="InputStd">Divides the centred input.</param>
/// <param name="OutputMean">Added to the scaled output.</param>
/// <param name="OutputStd">Scales the head's output.</param>
public sealed record AarenConfig(
    int InputDim, int DModel, int Heads, int Layers, int FfnDim, AarenActivation Activation, int OutputDim, float Eps,
    float[] InputMean, float[] InputStd, float[] OutputMean, float[] OutputStd)
{
    /// <summary>Width of one head, <c>Dh = D / NH</c>.</summary>
    public int HeadDim => DModel / Heads;

    /// <summary>Reads and validates the config; unknown keys are an error.</summary>
    public static AarenConfig Read(ModelConfig c)
    {
        int f = c.Int("input_dim", 1, 1 << 16);
        int d = c.Int("d_model", 1, 1 << 14);
        int nh = c.Int("heads", 1, 1 << 10);
        int l = c.Int("layers", 1, 256);
        int fd = c.Int("ffn_dim", 1, 1 << 16);
        string act = c.String("activation", "gelu_tanh", "silu", "relu");
        int o = c.Int("output_dim", 1, 1 << 16);
        float eps = c.Float("eps", 1e-5f);
        var inMean = c.FloatArray("input_mean", f, 0f);
        var inStd = c.FloatArray("input_std", f, 1f);
        var outMean = c.FloatArray("output_mean", o, 0f);
        var outStd = c.FloatArray("output_std", o, 1f);
        c.EnsureNoUnknownKeys();
        Fail.If(d % nh != 0, EdgeErrorCode.InvalidConfig, $"config: d_model {d} is not a multiple of heads {nh}; each head takes d_model / heads channels.");
        Fail.If(!(eps > 0), EdgeErrorCode.InvalidConfig, $"config: eps is {eps}; it must be positive.");
        for (int i = 0; i < f; i++)
            Fail.If(inStd[i] == 0, EdgeErrorCode.InvalidConfig, $"config: input_std[{i}] is 0; a standard deviation must be non-zero.");
        var activation = act switch { "silu" => AarenActivation.Silu, "relu" => AarenActivation.Relu, _ => AarenActivation.GeluTanh };
        return new AarenConfig(f, d, nh, l, fd, activation, o, eps, inMean, inStd, outMean, outStd);
    }
}
