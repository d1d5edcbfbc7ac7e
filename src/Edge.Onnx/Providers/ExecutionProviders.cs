using Microsoft.ML.OnnxRuntime;

namespace Edge.Onnx.Providers;

/// <summary>Names of execution providers as users write them ("cuda") and as ONNX Runtime does ("CUDAExecutionProvider").</summary>
public static class ExecutionProviders
{
    /// <summary>The short name used by --ep and device profiles.</summary>
    public static string ShortName(this ExecutionProvider ep) => ep switch
    {
        ExecutionProvider.Cuda => "cuda",
        ExecutionProvider.Dml => "dml",
        _ => "cpu",
    };

    /// <summary>ONNX Runtime's name for the provider.</summary>
    public static string OrtName(this ExecutionProvider ep) => ep switch
    {
        ExecutionProvider.Cuda => "CUDAExecutionProvider",
        ExecutionProvider.Dml => "DmlExecutionProvider",
        _ => "CPUExecutionProvider",
    };

    /// <summary>Parses "cpu", "cuda" or "dml"; <paramref name="where"/> names the source in the message.</summary>
    public static ExecutionProvider Parse(string name, string where) => name switch
    {
        "cpu" => ExecutionProvider.Cpu,
        "cuda" => ExecutionProvider.Cuda,
        "dml" => ExecutionProvider.Dml,
        _ => Fail.With<ExecutionProvider>(EdgeErrorCode.InvalidArgument, $"{where}: execution provider '{name}' is not one of cpu, cuda, dml."),
    };

    /// <summary>
    /// The providers the loaded ONNX Runtime library was built with (ONNX Runtime's names). A listed provider
    /// can still fail to start, e.g. CUDA without a GPU or without its libraries.
    /// </summary>
    public static IReadOnlyList<string> Available() => OrtCall.Guard(() => OrtEnv.Instance().GetAvailableProviders(), "while listing execution providers");

    /// <summary>The ONNX Runtime version string of the loaded native library.</summary>
    public static string OrtVersion() => OrtCall.Guard(() => OrtEnv.Instance().GetVersionString(), "while reading its version");

    /// <summary>Which ONNX Runtime package this build references (the EdgeOnnxRuntime MSBuild property): cpu, cuda or dml.</summary>
    public static string BuildFlavour =>
#if EDGE_ORT_CUDA
        "cuda";
#elif EDGE_ORT_DML
        "dml";
#else
        "cpu";
#endif
}
