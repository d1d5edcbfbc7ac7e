using System.Runtime.Intrinsics;
using Edge.Kernels;

namespace Edge.Kernels.Tests;

/// <summary>
/// The kernels run on the width the runtime accelerates, so the runtime's switches (which CI sets to rerun these
/// tests on the narrower paths) really move them: DOTNET_EnableAVX512=0 (the .NET 10 name), DOTNET_EnableAVX2=0
/// and DOTNET_EnableHWIntrinsic=0.
/// </summary>
public class SimdSwitchTests
{
    private static bool Off(string variable) => Environment.GetEnvironmentVariable(variable) == "0";

    [Fact]
    public void The_best_path_is_the_widest_accelerated_one_and_follows_the_runtime_switches()
    {
        var widest = Vector512.IsHardwareAccelerated ? SimdPath.V512 :
            Vector256.IsHardwareAccelerated ? SimdPath.V256 :
            Vector128.IsHardwareAccelerated ? SimdPath.V128 : SimdPath.Scalar;
        Assert.Equal(widest, SimdPaths.Best);
        if (Off("DOTNET_EnableAVX512")) Assert.True(SimdPaths.Best <= SimdPath.V256, $"DOTNET_EnableAVX512=0 but the kernels run {SimdPaths.Best}");
        if (Off("DOTNET_EnableAVX2")) Assert.True(SimdPaths.Best <= SimdPath.V128, $"DOTNET_EnableAVX2=0 but the kernels run {SimdPaths.Best}");
        if (Off("DOTNET_EnableHWIntrinsic")) Assert.Equal(SimdPath.Scalar, SimdPaths.Best);
    }
}
