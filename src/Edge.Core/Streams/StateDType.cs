namespace Edge.Streams;

/// <summary>The element type of a state entry. Families keep running sums in f64 where float32 would drift.</summary>
public enum StateDType
{
    /// <summary>IEEE 754 binary32.</summary>
    F32,

    /// <summary>IEEE 754 binary64.</summary>
    F64,
}
