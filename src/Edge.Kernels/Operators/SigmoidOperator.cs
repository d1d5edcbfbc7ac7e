using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Edge.Kernels;

/// <summary>
/// <c>σ(x) = 1 / (1 + exp(−x))</c> in float with the runtime's vector exp. The scalar form goes through a
/// 128-bit vector too, so an element gets the same bits on every path and at every position of a span.
/// Large negative inputs give exp = ∞ and σ = 0; large positive ones σ = 1.
/// </summary>
internal readonly struct SigmoidOperator : IUnaryOperator
{
    public static float Invoke(float x) => Invoke(Vector128.CreateScalarUnsafe(x)).ToScalar();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<float> x) => Vector128<float>.One / (Vector128<float>.One + Vector128.Exp(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + Vector512.Exp(-x));
}
