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

    /// <summary>
    /// The widest accelerated path whose panel of four vectors of rows (64 rows at 512 bits, 32 at 256, 16 at 128)
    /// fits in <paramref name="rows"/>; <see cref="Best"/> when none does. A reduced-precision matrix of 48 rows is then
    /// packed in 256-bit panels on an AVX-512 machine, and kept at its precision, as on an AVX2 one.
    /// </summary>
    public static SimdPath WidestPanelFor(int rows)
    {
        for (var p = Best; p >= SimdPath.V128; p = (SimdPath)((int)p / 2))
            if (4 * ((int)p / 32) <= rows) return p;
        return Best;
    }

    /// <summary>Every path up to <see cref="Best"/>.</summary>
    public static IEnumerable<SimdPath> Available()
    {
        foreach (var p in new[] { SimdPath.Scalar, SimdPath.V128, SimdPath.V256, SimdPath.V512 })
            if (p <= Best) yield return p;
    }
}
