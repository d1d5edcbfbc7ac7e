using System.Runtime.Intrinsics;

namespace Edge.Kernels;

/// <summary>
/// The operations a loop needs from one vector width, so a kernel's loop is written once, generic over the
/// width, and the JIT specializes it for <see cref="Width128"/>, <see cref="Width256"/> and <see cref="Width512"/>
/// (struct type arguments: no sharing, every call inlined).
/// </summary>
/// <typeparam name="TVector">The vector of floats of this width.</typeparam>
internal interface IVectorWidth<TVector> where TVector : struct
{
    /// <summary>Floats per vector.</summary>
    static abstract int Count { get; }

    static abstract TVector Load(ref float source, nuint index);

    /// <summary><c>Count</c> int8 values from <c>source + index</c>, as floats (exact).</summary>
    static abstract TVector LoadInt8(ref sbyte source, nuint index);

    static abstract void Store(TVector value, ref float destination, nuint index);

    static abstract TVector Broadcast(float value);

    static abstract TVector Add(TVector a, TVector b);

    static abstract TVector Multiply(TVector a, TVector b);

    /// <summary><c>a · b + addend</c>, rounded once.</summary>
    static abstract TVector FusedMultiplyAdd(TVector a, TVector b, TVector addend);

    /// <summary>A mask whose lanes <c>first</c> and above are set: the fresh lanes of an overlapping last vector.</summary>
    static abstract TVector LanesFrom(int first);

    /// <summary>Bitwise select: lanes of <paramref name="whenTrue"/> where <paramref name="mask"/> is set.</summary>
    static abstract TVector Select(TVector mask, TVector whenTrue, TVector whenFalse);

    /// <summary>Lane <c>i</c> takes lane <c>indices[i]</c> of <paramref name="value"/>; the indices are int32 lanes stored as float bits.</summary>
    static abstract TVector Shuffle(TVector value, TVector indices);

    /// <summary>The sum of the lanes, in the order <c>Vector*.Sum</c> adds them.</summary>
    static abstract float Sum(TVector value);

    /// <summary>A vector of int32 lanes (as float bits) from <c>Count</c> values; for constants built once.</summary>
    static abstract TVector FromInt32(ReadOnlySpan<int> lanes);

    /// <summary>Applies an elementwise operator at this width.</summary>
    static abstract TVector Invoke<TOperator>(TVector x) where TOperator : IUnaryOperator;
}
