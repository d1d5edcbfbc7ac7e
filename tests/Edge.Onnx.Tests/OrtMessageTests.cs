using Edge.Onnx.Providers;

namespace Edge.Onnx.Tests;

/// <summary>Native failures reach the user as one short line.</summary>
public sealed class OrtMessageTests
{
    [Theory]
    [InlineData(
        "[ErrorCode:Fail] /onnxruntime_src/onnxruntime/core/session/provider_bridge_ort.cc:2043 onnxruntime::Provider& onnxruntime::ProviderLibrary::Get() [ONNXRuntimeError] : 1 : FAIL : Failed to load library /opt/edge/runtimes/linux-x64/native/libonnxruntime_providers_cuda.so with error: libcublasLt.so.13: cannot open shared object file: No such file or directory\n",
        "Failed to load library libonnxruntime_providers_cuda.so with error: libcublasLt.so.13: cannot open shared object file: No such file or directory")]
    [InlineData("[ErrorCode:InvalidGraph] Load model from x.onnx failed: bad node.\nstack trace line", "Load model from x.onnx failed: bad node")]
    [InlineData("plain message", "plain message")]
    public void Native_messages_lose_their_source_location_and_paths(string native, string shown)
        => Assert.Equal(shown, OrtCall.FirstLine(native));
}
