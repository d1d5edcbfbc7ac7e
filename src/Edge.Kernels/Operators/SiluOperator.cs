using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Edge.Kernels;

/// <summary><c>x · σ(x)</c> with <c>σ(x) = 1 / (1 + exp(−x))</c>, in float, the same operations at every width.</summary>
internal readonly struct SiluOperator : IUnaryOperator
{
    public static float Invoke(float x) => 1f / (1f + MathF.Exp(-x)) * x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<float> x) => Vector128<float>.One / (Vector128<float>.One + Vector128.Exp(-x)) * x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-x)) * x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + Vector512.Exp(-x)) * x;
}
