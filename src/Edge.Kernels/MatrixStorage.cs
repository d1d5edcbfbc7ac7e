namespace Edge.Kernels;

/// <summary>How a <see cref="PackedMatrix"/> keeps its weights in memory; products always take and give float32.</summary>
public enum MatrixStorage
{
    /// <summary>4 bytes a weight.</summary>
    Float32,

    /// <summary>IEEE half precision, 2 bytes a weight, widened to float32 per block of columns.</summary>
    Float16,

    /// <summary>Symmetric int8 with one float32 scale per row: 1 byte a weight.</summary>
    Int8,

    /// <summary>4-bit integers with one float32 scale per row and group of 32 columns (ggml's Q4_0 rule): 5 bits a weight.</summary>
    Q4,
}
