using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Edge.Kernels;

/// <summary>
/// Widens one block of a reduced-precision panel into float32 in a stack buffer that stays in L1, where the
/// float32 panel loop then reads it: the weights cross the memory bus at their stored size.
/// </summary>
internal static class PanelDecoder
{
    private static readonly float TwoTo112 = BitConverter.UInt32BitsToSingle((127u + 112) << 23);

    /// <summary>
    /// Half to float, exactly, for finite values (the packer refuses weights outside float16's range, so no
    /// infinity or NaN reaches here); <paramref name="count"/> is a multiple of 8. The half's exponent and
    /// mantissa, moved to float32's positions, read as a float32 2^112 times too small, for normal and
    /// subnormal halves alike; one multiply by 2^112 (exact: a power of two into float32's normal range)
    /// and the sign bit finish it. Four vector operations per 8 weights, all in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Half(ref ushort source, ref float destination, int count)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            var magnitude = Vector256.Create(0x7FFFu);
            var scale = Vector256.Create(TwoTo112);
            for (int i = 0; i < count; i += 8)
            {
                var h = Vector256.WidenLower(Vector128.LoadUnsafe(ref source, (nuint)i).ToVector256Unsafe());
                var f = Vector256.ShiftLeft(h & magnitude, 13).AsSingle() * scale;
                (f.AsUInt32() | Vector256.ShiftLeft(h & ~magnitude, 16)).AsSingle().StoreUnsafe(ref destination, (nuint)i);
            }
            return;
        }
        var m = Vector128.Create(0x7FFFu);
        var k = Vector128.Create(TwoTo112);
        for (int i = 0; i < count; i += 4)
        {
            var h = Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref source, i)))).AsUInt16());
            var f = Vector128.ShiftLeft(h & m, 13).AsSingle() * k;
            (f.AsUInt32() | Vector128.ShiftLeft(h & ~m, 16)).AsSingle().StoreUnsafe(ref destination, (nuint)i);
        }
    }

    /// <summary>int8 to float, exactly; <paramref name="count"/> is a multiple of 16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Int8(ref sbyte source, ref float destination, int count)
    {
        for (int i = 0; i < count; i += 16)
            Widen16(Vector128.LoadUnsafe(ref source, (nuint)i), ref Unsafe.Add(ref destination, i));
    }

    /// <summary>
    /// One Q4 group: byte <c>i</c> holds value <c>i</c> in its low nibble and value <c>bytes + i</c> in its high
    /// one, each stored plus 8; <paramref name="bytes"/> is a multiple of 16. The scale is applied to the sums.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Q4(ref byte source, ref float destination, int bytes)
    {
        var low = Vector128.Create((byte)15);
        var eight = Vector128.Create((sbyte)8);
        for (int i = 0; i < bytes; i += 16)
        {
            var v = Vector128.LoadUnsafe(ref source, (nuint)i);
            Widen16((v & low).AsSByte() - eight, ref Unsafe.Add(ref destination, i));
            Widen16(Vector128.ShiftRightLogical(v, 4).AsSByte() - eight, ref Unsafe.Add(ref destination, bytes + i));
        }
    }

    // Sixteen int8 to float32: one sign extension straight to int32 lanes and one conversion a vector where the ISA
    // has it (AVX-512: a 512-bit vpmovsxbd and vcvtdq2ps; AVX2: two 256-bit ones), else the portable two-step widening.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Widen16(Vector128<sbyte> v, ref float destination)
    {
        if (Avx512F.IsSupported)
        {
            Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(v)).StoreUnsafe(ref destination);
            return;
        }
        if (Avx2.IsSupported)
        {
            Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(v)).StoreUnsafe(ref destination);
            Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(Sse2.UnpackHigh(v.AsInt64(), v.AsInt64()).AsSByte())).StoreUnsafe(ref destination, 8);
            return;
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var s = Vector256.WidenLower(v.ToVector256Unsafe());
            Vector256.ConvertToSingle(Vector256.WidenLower(s)).StoreUnsafe(ref destination);
            Vector256.ConvertToSingle(Vector256.WidenUpper(s)).StoreUnsafe(ref destination, 8);
            return;
        }
        var (a, b) = Vector128.Widen(v);
        var (a0, a1) = Vector128.Widen(a);
        var (b0, b1) = Vector128.Widen(b);
        Vector128.ConvertToSingle(a0).StoreUnsafe(ref destination);
        Vector128.ConvertToSingle(a1).StoreUnsafe(ref destination, 4);
        Vector128.ConvertToSingle(b0).StoreUnsafe(ref destination, 8);
        Vector128.ConvertToSingle(b1).StoreUnsafe(ref destination, 12);
    }
}
