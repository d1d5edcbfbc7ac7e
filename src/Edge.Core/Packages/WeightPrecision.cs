namespace Edge.Packages;

/// <summary>How a model's weight matrices are kept in memory on the CPU backend; activations and state stay float32 (or float64).</summary>
public enum WeightPrecision
{
    /// <summary>float32: 4 bytes a weight.</summary>
    Fp32,

    /// <summary>IEEE float16 kept in 16 bits and widened as the product reads it: 2 bytes a weight.</summary>
    Fp16,

    /// <summary>Symmetric int8 with one float32 scale per matrix row: about 1 byte a weight.</summary>
    Int8,

    /// <summary>4-bit integers with one float32 scale per row and group of 32 columns (ggml's Q4_0 rule): 5 bits a weight.</summary>
    Q4,
}
