using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Edge.Kernels;

/// <summary>
/// <c>log σ(x) = min(x, 0) − log(1 + exp(−|x|))</c> in double, rounded once to float; the vector forms widen to
/// double lanes and use the same formula, so every width agrees with the scalar form to the rounding of the
/// double exp and log. A float vector is widened into one double vector of twice its width where that width is
/// accelerated (one exp and one log per vector; splitting it in halves keeps one half live across the other's
/// calls and was 10% slower), else into two halves.
/// </summary>
internal readonly struct LogSigmoidOperator : IUnaryOperator
{
    // Below this, log(1 + e) is taken from its series: Log(1 + e) would lose e.
    private const double SeriesBelow = 1e-4;

    public static float Invoke(float x)
    {
        double v = x;
        double e = Math.Exp(-Math.Abs(v));
        double log1p = e < SeriesBelow ? e * (1 - 0.5 * e) : Math.Log(1 + e);
        return (float)(Math.Min(v, 0) - log1p);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<float> x)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            var r = Wide(Vector256.WidenLower(x.ToVector256Unsafe()));
            return Vector256.Narrow(r, r).GetLower();
        }
        return Vector128.Narrow(Wide(Vector128.WidenLower(x)), Wide(Vector128.WidenUpper(x)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<float> x)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            var r = Wide(Vector512.WidenLower(x.ToVector512Unsafe()));
            return Vector512.Narrow(r, r).GetLower();
        }
        return Vector256.Narrow(Wide(Vector256.WidenLower(x)), Wide(Vector256.WidenUpper(x)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> x) => Vector512.Narrow(Wide(Vector512.WidenLower(x)), Wide(Vector512.WidenUpper(x)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> Wide(Vector128<double> v)
    {
        var e = Vector128.Exp(-Vector128.Abs(v));
        var series = e * (Vector128<double>.One - Vector128.Create(0.5) * e);
        var log1p = Vector128.ConditionalSelect(Vector128.LessThan(e, Vector128.Create(SeriesBelow)), series, Vector128.Log(Vector128<double>.One + e));
        return Vector128.Min(v, Vector128<double>.Zero) - log1p;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Wide(Vector256<double> v)
    {
        var e = Vector256.Exp(-Vector256.Abs(v));
        var series = e * (Vector256<double>.One - Vector256.Create(0.5) * e);
        var log1p = Vector256.ConditionalSelect(Vector256.LessThan(e, Vector256.Create(SeriesBelow)), series, Vector256.Log(Vector256<double>.One + e));
        return Vector256.Min(v, Vector256<double>.Zero) - log1p;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Wide(Vector512<double> v)
    {
        var e = Vector512.Exp(-Vector512.Abs(v));
        var series = e * (Vector512<double>.One - Vector512.Create(0.5) * e);
        var log1p = Vector512.ConditionalSelect(Vector512.LessThan(e, Vector512.Create(SeriesBelow)), series, Vector512.Log(Vector512<double>.One + e));
        return Vector512.Min(v, Vector512<double>.Zero) - log1p;
    }
}
