using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Edge.Kernels;

/// <summary>
/// <c>tanh(x) = sign(x) · (−z / (z + 2))</c> with <c>z = exp(−2|x|) − 1</c>, in float with the runtime's vector
/// exp: odd by construction, ±1 for large |x|, never NaN for a finite input; the absolute error stays below 1e-7.
/// Below |x| = 0.0004 it is x itself (x³/3 is then under half a float ulp of x): there exp(−2|x|) − 1 would be
/// all rounding, and an exp rounded above 1 would even flip the sign. The scalar form goes through a 128-bit
/// vector, so an element gets the same bits on every path and at every position.
/// </summary>
internal readonly struct TanhOperator : IUnaryOperator
{
    private const float SmallBelow = 0.0004f;

    public static float Invoke(float x) => Invoke(Vector128.CreateScalarUnsafe(x)).ToScalar();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<float> x)
    {
        var sign = x & Vector128.Create(-0f);
        var ax = Vector128.Abs(x);
        var z = Vector128.Exp(Vector128.Create(-2f) * ax) - Vector128<float>.One;
        return Vector128.ConditionalSelect(Vector128.LessThan(ax, Vector128.Create(SmallBelow)), x, (-z / (z + Vector128.Create(2f))) | sign);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<float> x)
    {
        var sign = x & Vector256.Create(-0f);
        var ax = Vector256.Abs(x);
        var z = Vector256.Exp(Vector256.Create(-2f) * ax) - Vector256<float>.One;
        return Vector256.ConditionalSelect(Vector256.LessThan(ax, Vector256.Create(SmallBelow)), x, (-z / (z + Vector256.Create(2f))) | sign);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> x)
    {
        var sign = x & Vector512.Create(-0f);
        var ax = Vector512.Abs(x);
        var z = Vector512.Exp(Vector512.Create(-2f) * ax) - Vector512<float>.One;
        return Vector512.ConditionalSelect(Vector512.LessThan(ax, Vector512.Create(SmallBelow)), x, (-z / (z + Vector512.Create(2f))) | sign);
    }
}
