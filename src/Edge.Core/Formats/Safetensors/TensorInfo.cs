namespace Edge.Formats.Safetensors;

/// <summary>One tensor's entry in a safetensors header, already validated: its bytes lie inside the file and match its shape.</summary>
/// <param name="Name">Tensor name, as in the reference module's state_dict.</param>
/// <param name="DType">Element type on disk.</param>
/// <param name="Shape">Dimensions, outermost first.</param>
/// <param name="Begin">Offset of the first byte, relative to the start of the data section.</param>
/// <param name="End">Offset one past the last byte, relative to the start of the data section.</param>
public sealed record TensorInfo(string Name, TensorDType DType, int[] Shape, long Begin, long End)
{
    /// <summary>Number of elements (product of the shape; 1 for a scalar).</summary>
    public long ElementCount
    {
        get
        {
            long n = 1;
            foreach (int d in Shape) n *= d;
            return n;
        }
    }

    /// <summary>The shape as users read it, e.g. [384, 64].</summary>
    public string ShapeText => Fail.Shape(Shape);
}
