using Edge.Packages;

namespace Edge.Families.Gla;

/// <summary>A LayerNorm's weight and bias (PyTorch <c>nn.LayerNorm</c>, biased variance).</summary>
internal sealed record NormWeights(float[] Weight, float[] Bias, float Eps)
{
    /// <summary>Takes <c>{name}.weight</c> and <c>{name}.bias</c> of width <paramref name="width"/>.</summary>
    public static NormWeights Load(ModelWeights w, string name, int width, float eps) =>
        new(w.Take($"{name}.weight", width), w.Take($"{name}.bias", width), eps);

    /// <summary>y = LN(x).</summary>
    public void Apply(ReadOnlySpan<float> x, Span<float> y) => Kernels.LayerNorm.Normalize(x, Weight, Bias, Eps, y);
}
