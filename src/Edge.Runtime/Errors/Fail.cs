using System.Diagnostics.CodeAnalysis;

namespace Edge;

/// <summary>Throw helpers so that validation reads as one line at the call site.</summary>
internal static class Fail
{
    [DoesNotReturn]
    public static void With(EdgeErrorCode code, string message) => throw new EdgeException(code, message);

    [DoesNotReturn]
    public static T With<T>(EdgeErrorCode code, string message) => throw new EdgeException(code, message);

    public static void If([DoesNotReturnIf(true)] bool condition, EdgeErrorCode code, string message)
    {
        if (condition) throw new EdgeException(code, message);
    }

    /// <summary>Shape as users read it: [3, 64].</summary>
    public static string Shape(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    /// <summary>Shape as users read it: [3, 64].</summary>
    public static string Shape(ReadOnlySpan<long> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";
}
