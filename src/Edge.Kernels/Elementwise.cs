using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Edge.Kernels;

/// <summary>
/// Elementwise arithmetic over equal-length spans, as the small recurrent steps use it between their matrix
/// products: <c>y = a + b</c>, <c>a − b</c>, <c>a · b</c>, <c>a / b</c>, <c>a · b + c</c>, and a dot product.
/// </summary>
/// <remarks>
/// Each result element is the correctly rounded float of its operation (no fused multiply-add), so every SIMD
/// width and the scalar tail give the same bits, whatever the span's length or where an element sits in it.
/// <para>
/// Why not <c>TensorPrimitives</c>: its generic instantiations over float are compiled by the JIT in every fresh
/// process (ReadyToRun cannot precompile them outside their own assembly), about 60 methods for one GRU step, which
/// was most of a short <c>edge run</c>'s first step. These are small non-generic loops, compiled once, optimised,
/// at their first call (docs/packaging.md, "How fast the tool starts").
/// </para>
/// <para><c>y</c> may be one of the inputs itself but must not partly overlap any of them.</para>
/// </remarks>
public static class Elementwise
{
    /// <summary><c>y[i] = a[i] + b[i]</c>.</summary>
    public static void Add(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => Map<AddOp>(a, b, y);

    /// <summary><c>y[i] = a[i] − b[i]</c>.</summary>
    public static void Subtract(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => Map<SubtractOp>(a, b, y);

    /// <summary><c>y[i] = a[i] · b[i]</c>.</summary>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => Map<MultiplyOp>(a, b, y);

    /// <summary><c>y[i] = a[i] / b[i]</c>.</summary>
    public static void Divide(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => Map<DivideOp>(a, b, y);

    /// <summary><c>y[i] = a[i] / b</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Divide(ReadOnlySpan<float> a, float b, Span<float> y)
    {
        Check(a, nameof(a), y);
        ref float ar = ref MemoryMarshal.GetReference(a), yr = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)y.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (var bv = Vector256.Create(b); i + 8 <= n; i += 8) (Vector256.LoadUnsafe(ref ar, i) / bv).StoreUnsafe(ref yr, i);
        if (Vector128.IsHardwareAccelerated)
            for (var bv = Vector128.Create(b); i + 4 <= n; i += 4) (Vector128.LoadUnsafe(ref ar, i) / bv).StoreUnsafe(ref yr, i);
        for (; i < n; i++) Unsafe.Add(ref yr, i) = Unsafe.Add(ref ar, i) / b;
    }

    /// <summary><c>y[i] = a[i] · b[i] + c[i]</c>, the product rounded before the sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyAdd(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, Span<float> y)
    {
        Check(a, nameof(a), y);
        Check(b, nameof(b), y);
        Check(c, nameof(c), y);
        ref float ar = ref MemoryMarshal.GetReference(a), br = ref MemoryMarshal.GetReference(b);
        ref float cr = ref MemoryMarshal.GetReference(c), yr = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)y.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 8 <= n; i += 8)
                (Vector256.LoadUnsafe(ref ar, i) * Vector256.LoadUnsafe(ref br, i) + Vector256.LoadUnsafe(ref cr, i)).StoreUnsafe(ref yr, i);
        if (Vector128.IsHardwareAccelerated)
            for (; i + 4 <= n; i += 4)
                (Vector128.LoadUnsafe(ref ar, i) * Vector128.LoadUnsafe(ref br, i) + Vector128.LoadUnsafe(ref cr, i)).StoreUnsafe(ref yr, i);
        for (; i < n; i++) Unsafe.Add(ref yr, i) = Unsafe.Add(ref ar, i) * Unsafe.Add(ref br, i) + Unsafe.Add(ref cr, i);
    }

    /// <summary><c>y[i] = a[i] · b + c[i]</c>, the product rounded before the sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyAdd(ReadOnlySpan<float> a, float b, ReadOnlySpan<float> c, Span<float> y)
    {
        Check(a, nameof(a), y);
        Check(c, nameof(c), y);
        ref float ar = ref MemoryMarshal.GetReference(a), cr = ref MemoryMarshal.GetReference(c), yr = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)y.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (var bv = Vector256.Create(b); i + 8 <= n; i += 8)
                (Vector256.LoadUnsafe(ref ar, i) * bv + Vector256.LoadUnsafe(ref cr, i)).StoreUnsafe(ref yr, i);
        if (Vector128.IsHardwareAccelerated)
            for (var bv = Vector128.Create(b); i + 4 <= n; i += 4)
                (Vector128.LoadUnsafe(ref ar, i) * bv + Vector128.LoadUnsafe(ref cr, i)).StoreUnsafe(ref yr, i);
        for (; i < n; i++) Unsafe.Add(ref yr, i) = Unsafe.Add(ref ar, i) * b + Unsafe.Add(ref cr, i);
    }

    /// <summary>
    /// <c>Σ a[i] · b[i]</c>. The order of the sum depends on the length and on the widest SIMD path of the
    /// machine, never on anything else: the same spans give the same bits every time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (b.Length != a.Length) Throw.Length(nameof(b), a.Length, b.Length);
        ref float ar = ref MemoryMarshal.GetReference(a), br = ref MemoryMarshal.GetReference(b);
        nuint n = (nuint)a.Length, i = 0;
        float sum = 0;
        if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var acc = Vector256<float>.Zero;
            for (; i + 8 <= n; i += 8) acc += Vector256.LoadUnsafe(ref ar, i) * Vector256.LoadUnsafe(ref br, i);
            sum = Vector256.Sum(acc);
        }
        else if (Vector128.IsHardwareAccelerated && n >= 4)
        {
            var acc = Vector128<float>.Zero;
            for (; i + 4 <= n; i += 4) acc += Vector128.LoadUnsafe(ref ar, i) * Vector128.LoadUnsafe(ref br, i);
            sum = Vector128.Sum(acc);
        }
        for (; i < n; i++) sum += Unsafe.Add(ref ar, i) * Unsafe.Add(ref br, i);
        return sum;
    }

    // One loop for the four binary operations; each operator is a struct, so the JIT compiles one specialised copy.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Map<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) where TOp : IBinaryOp
    {
        Check(a, nameof(a), y);
        Check(b, nameof(b), y);
        ref float ar = ref MemoryMarshal.GetReference(a), br = ref MemoryMarshal.GetReference(b), yr = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)y.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 8 <= n; i += 8) TOp.Invoke(Vector256.LoadUnsafe(ref ar, i), Vector256.LoadUnsafe(ref br, i)).StoreUnsafe(ref yr, i);
        if (Vector128.IsHardwareAccelerated)
            for (; i + 4 <= n; i += 4) TOp.Invoke(Vector128.LoadUnsafe(ref ar, i), Vector128.LoadUnsafe(ref br, i)).StoreUnsafe(ref yr, i);
        for (; i < n; i++) Unsafe.Add(ref yr, i) = TOp.Invoke(Unsafe.Add(ref ar, i), Unsafe.Add(ref br, i));
    }

    private interface IBinaryOp
    {
        static abstract float Invoke(float a, float b);

        static abstract Vector128<float> Invoke(Vector128<float> a, Vector128<float> b);

        static abstract Vector256<float> Invoke(Vector256<float> a, Vector256<float> b);
    }

    private readonly struct AddOp : IBinaryOp
    {
        public static float Invoke(float a, float b) => a + b;
        public static Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => a + b;
        public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => a + b;
    }

    private readonly struct SubtractOp : IBinaryOp
    {
        public static float Invoke(float a, float b) => a - b;
        public static Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => a - b;
        public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => a - b;
    }

    private readonly struct MultiplyOp : IBinaryOp
    {
        public static float Invoke(float a, float b) => a * b;
        public static Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => a * b;
        public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => a * b;
    }

    private readonly struct DivideOp : IBinaryOp
    {
        public static float Invoke(float a, float b) => a / b;
        public static Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => a / b;
        public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => a / b;
    }

    private static void Check(ReadOnlySpan<float> x, string name, ReadOnlySpan<float> y)
    {
        if (x.Length != y.Length) Throw.Length(name, y.Length, x.Length);
        if (x.Overlaps(y, out int offset) && offset != 0) Throw.Overlap(name, "y");
    }
}
