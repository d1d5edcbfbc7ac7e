using System.Numerics.Tensors;

namespace Edge.Backends;

/// <summary>
/// Elementwise functions over a batch's stacked rows, with each row's bits exactly what the one-stream step
/// computes. TensorPrimitives picks its vector width from a span's length, and a transcendental's narrower path
/// (or its scalar one, below four floats) may round differently: rows of at least 16 floats take the widest path
/// alone as in a stack, so they go in one call; shorter rows go one by one.
/// </summary>
public static class BatchRows
{
    private const int StackedFrom = 16;

    /// <summary>σ(x) in place over <paramref name="rows"/>, rows of <paramref name="rowLength"/>.</summary>
    public static void Sigmoid(Span<float> rows, int rowLength)
    {
        if (rowLength >= StackedFrom) TensorPrimitives.Sigmoid(rows, rows);
        else for (int i = 0; i < rows.Length; i += rowLength) TensorPrimitives.Sigmoid(rows.Slice(i, rowLength), rows.Slice(i, rowLength));
    }

    /// <summary>tanh(x) in place over <paramref name="rows"/>, rows of <paramref name="rowLength"/>.</summary>
    public static void Tanh(Span<float> rows, int rowLength)
    {
        if (rowLength >= StackedFrom) TensorPrimitives.Tanh(rows, rows);
        else for (int i = 0; i < rows.Length; i += rowLength) TensorPrimitives.Tanh(rows.Slice(i, rowLength), rows.Slice(i, rowLength));
    }
}
