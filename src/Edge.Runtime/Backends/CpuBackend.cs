using Edge.Families.Aaren;
using Edge.Families.Gla;
using Edge.Families.GruAttention;
using Edge.Packages;

namespace Edge.Backends;

/// <summary>Runs families on the CPU with Edge's own SIMD kernels.</summary>
public sealed class CpuBackend : IBackend
{
    /// <summary>The shared instance (the backend holds no state).</summary>
    public static CpuBackend Instance { get; } = new();

    /// <summary>The families this backend runs.</summary>
    public static IReadOnlyList<string> Families { get; } = ["gru-attention", "aaren", "gla-tts"];

    /// <inheritdoc />
    public string Name => "cpu";

    /// <inheritdoc />
    public IStepModel Create(ModelPackage package) => package.Family switch
    {
        "gru-attention" => GruAttentionModel.Create(package),
        "aaren" => AarenModel.Create(package),
        "gla-tts" => GlaTtsModel.Create(package),
        "onnx-stateful" => Fail.With<IStepModel>(EdgeErrorCode.UnsupportedFamily,
            $"{package.Path}: family onnx-stateful runs only on the ONNX backend; use --backend onnx."),
        _ => Fail.With<IStepModel>(EdgeErrorCode.UnsupportedFamily,
            $"{package.Path}: family '{package.Family}' is not known to the CPU backend (it runs {string.Join(", ", Families)})."),
    };
}
