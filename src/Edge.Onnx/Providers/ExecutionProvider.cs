namespace Edge.Onnx.Providers;

/// <summary>An ONNX Runtime execution provider Edge knows how to start.</summary>
public enum ExecutionProvider
{
    /// <summary>ONNX Runtime's own CPU kernels (every build).</summary>
    Cpu,
    /// <summary>NVIDIA GPUs; needs the build made with <c>-p:EdgeOnnxRuntime=cuda</c>, CUDA 13 and cuDNN 9 (ONNX Runtime 1.31).</summary>
    Cuda,
    /// <summary>DirectX 12 GPUs on Windows; needs the build made with <c>-p:EdgeOnnxRuntime=dml</c>.</summary>
    Dml,
}
