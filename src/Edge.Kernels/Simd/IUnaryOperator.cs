using System.Runtime.Intrinsics;

namespace Edge.Kernels;

/// <summary>
/// An elementwise function of one float, written once per vector width so a driver can run it at the widest
/// accelerated width. Every width must give the scalar form's result lane by lane (up to the rounding of the
/// vector math functions), so the remainder can be taken by an overlapping vector or by the scalar form.
/// </summary>
internal interface IUnaryOperator
{
    static abstract float Invoke(float x);

    static abstract Vector128<float> Invoke(Vector128<float> x);

    static abstract Vector256<float> Invoke(Vector256<float> x);

    static abstract Vector512<float> Invoke(Vector512<float> x);
}
