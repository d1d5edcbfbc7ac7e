using Edge.Kernels;
using Edge.Packages;

namespace Edge.Backends;

/// <summary>Packs a family's weight matrix at the precision the model was loaded with (the families' one way to make a <see cref="PackedMatrix"/>).</summary>
public static class WeightPacking
{
    /// <summary>The kernel storage of a precision.</summary>
    public static MatrixStorage StorageOf(WeightPrecision precision) => precision switch
    {
        WeightPrecision.Fp16 => MatrixStorage.Float16,
        WeightPrecision.Int8 => MatrixStorage.Int8,
        WeightPrecision.Q4 => MatrixStorage.Q4,
        _ => MatrixStorage.Float32,
    };

    /// <summary>
    /// Packs row-major <paramref name="weights"/> <c>[rows, cols]</c> kept at <paramref name="precision"/>;
    /// <paramref name="name"/> (the tensor) goes into the message when fp16 cannot hold a weight.
    /// </summary>
    public static PackedMatrix Pack(ReadOnlySpan<float> weights, int rows, int cols, WeightPrecision precision, string name)
    {
        Check(weights, precision, name);
        return PackedMatrix.Pack(weights, rows, cols, StorageOf(precision));
    }

    /// <summary>As <see cref="Pack"/>, but at fp32 the matrix stays row-major (<see cref="PackedMatrix.RowMajor"/>): for a family whose fp32 products are <c>MatVec</c>'s.</summary>
    public static PackedMatrix PackRowMajorAtFp32(ReadOnlySpan<float> weights, int rows, int cols, WeightPrecision precision, string name)
    {
        if (precision == WeightPrecision.Fp32) return PackedMatrix.RowMajor(weights, rows, cols);
        Check(weights, precision, name);
        return PackedMatrix.Pack(weights, rows, cols, StorageOf(precision));
    }

    private static void Check(ReadOnlySpan<float> weights, WeightPrecision precision, string name)
    {
        if (precision == WeightPrecision.Fp16)
        {
            foreach (float w in weights)
                Fail.If(!(Math.Abs(w) <= 65504f), EdgeErrorCode.InvalidArgument,
                    $"{name}: a weight of {w} does not fit in fp16 (±65504). Load this model with EdgeModelOptions.Precision Fp32, Int8 or Q4.");
        }
    }
}
