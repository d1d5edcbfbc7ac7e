using Edge.Onnx.Providers;

namespace Edge.Onnx.Tests;

/// <summary>
/// The ONNX backend the tests use: the CPU provider, or the one named by EDGE_TEST_EP (bench/gpu-check.sh
/// sets cuda) so the same parity tests run on a GPU.
/// </summary>
internal static class TestBackends
{
    public static ExecutionProvider Provider { get; } =
        ExecutionProviders.Parse(Environment.GetEnvironmentVariable("EDGE_TEST_EP") is { Length: > 0 } ep ? ep : "cpu", "EDGE_TEST_EP");

    public static OnnxBackend Onnx(bool forceDeviceState = false) => new(new OnnxBackendOptions
    {
        Providers = [Provider],
        ForceDeviceState = forceDeviceState,
        Source = "EDGE_TEST_EP",
    });
}
