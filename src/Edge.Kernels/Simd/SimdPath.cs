using System.Runtime.Intrinsics;

namespace Edge.Kernels;

/// <summary>The vector width a kernel runs with; the best one the hardware accelerates is chosen once.</summary>
internal enum SimdPath
{
    Scalar = 0,
    V128 = 128,
    V256 = 256,
    V512 = 512,
}

/// <summary>Which <see cref="SimdPath"/> values this machine accelerates.</summary>
internal static class SimdPaths
{
    /// <summary>The widest accelerated path (honours DOTNET_EnableAVX512=0, DOTNET_EnableAVX2=0 and similar switches; on .NET 10 DOTNET_EnableAVX512F is not one).</summary>
    public static readonly SimdPath Best =
        Vector512.IsHardwareAccelerated ? SimdPath.V512 :
        Vector256.IsHardwareAccelerated ? SimdPath.V256 :
        Vector128.IsHardwareAccelerated ? SimdPath.V128 : SimdPath.Scalar;

    /// <summary>Every path up to <see cref="Best"/>.</summary>
    public static IEnumerable<SimdPath> Available()
    {
        foreach (var p in new[] { SimdPath.Scalar, SimdPath.V128, SimdPath.V256, SimdPath.V512 })
            if (p <= Best) yield return p;
    }
}
