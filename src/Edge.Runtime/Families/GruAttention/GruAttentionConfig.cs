using Edge.Packages;

namespace Edge.Families.GruAttention;

/// <summary>The gru-attention config (docs/package-format.md), validated.</summary>
public sealed record GruAttentionConfig(
    int InputDim, int Hidden, int Layers, int AttnDim, int OutputDim, int AttentionWindow, bool LinearBeforeReset,
    float[] InputMean, float[] InputStd, float[] OutputMean, float[] OutputStd, GruWeightLayout WeightLayout)
{
    /// <summary>Reads and validates the config; unknown keys are an error.</summary>
    public static GruAttentionConfig Read(ModelConfig c)
    {
        int f = c.Int("input_dim", 1, 1 << 16);
        int h = c.Int("hidden", 1, 1 << 14);
        int l = c.Int("layers", 1, 64);
        int a = c.Int("attn_dim", 1, 1 << 14);
        int o = c.Int("output_dim", 1, 1 << 16);
        int w = c.Int("attention_window", 0, 0, 1 << 20);
        bool lbr = c.Bool("linear_before_reset", true);
        var inMean = c.FloatArray("input_mean", f, 0f);
        var inStd = c.FloatArray("input_std", f, 1f);
        var outMean = c.FloatArray("output_mean", o, 0f);
        var outStd = c.FloatArray("output_std", o, 1f);
        string layout = c.StringOr("weight_layout", "pytorch", "pytorch", "onnx", "keras");
        c.EnsureNoUnknownKeys();
        for (int i = 0; i < f; i++)
            Fail.If(inStd[i] == 0, EdgeErrorCode.InvalidConfig, $"config: input_std[{i}] is 0; a standard deviation must be non-zero.");
        var wl = layout switch { "onnx" => GruWeightLayout.Onnx, "keras" => GruWeightLayout.Keras, _ => GruWeightLayout.PyTorch };
        return new GruAttentionConfig(f, h, l, a, o, w, lbr, inMean, inStd, outMean, outStd, wl);
    }
}
