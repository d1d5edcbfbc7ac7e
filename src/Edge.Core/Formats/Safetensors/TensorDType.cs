namespace Edge.Formats.Safetensors;

/// <summary>Element types a safetensors header may name; Edge computes in float32 and converts the float types on load.</summary>
public enum TensorDType
{
    /// <summary>IEEE 754 binary32.</summary>
    F32,
    /// <summary>IEEE 754 binary16.</summary>
    F16,
    /// <summary>bfloat16: the top 16 bits of a binary32.</summary>
    BF16,
    /// <summary>IEEE 754 binary64.</summary>
    F64,
    /// <summary>Signed 64-bit integer.</summary>
    I64,
    /// <summary>Signed 32-bit integer.</summary>
    I32,
    /// <summary>Signed 8-bit integer.</summary>
    I8,
    /// <summary>Unsigned 8-bit integer.</summary>
    U8,
}

/// <summary>Names and sizes of <see cref="TensorDType"/> values as the safetensors header spells them.</summary>
public static class TensorDTypes
{
    /// <summary>Bytes per element.</summary>
    public static int Size(TensorDType t) => t switch
    {
        TensorDType.F32 or TensorDType.I32 => 4,
        TensorDType.F16 or TensorDType.BF16 => 2,
        TensorDType.F64 or TensorDType.I64 => 8,
        _ => 1,
    };

    /// <summary>Parses a header dtype string such as "F32"; false when Edge does not read that type.</summary>
    public static bool TryParse(string s, out TensorDType t)
    {
        switch (s)
        {
            case "F32": t = TensorDType.F32; return true;
            case "F16": t = TensorDType.F16; return true;
            case "BF16": t = TensorDType.BF16; return true;
            case "F64": t = TensorDType.F64; return true;
            case "I64": t = TensorDType.I64; return true;
            case "I32": t = TensorDType.I32; return true;
            case "I8": t = TensorDType.I8; return true;
            case "U8": t = TensorDType.U8; return true;
            default: t = default; return false;
        }
    }

    /// <summary>The header spelling of a dtype.</summary>
    public static string Name(TensorDType t) => t.ToString();
}
