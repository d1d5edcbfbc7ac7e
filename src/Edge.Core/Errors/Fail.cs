using System.Diagnostics.CodeAnalysis;

namespace Edge;

/// <summary>
/// Throw helpers for families and backends, so that validation reads as one line at the call site. An
/// interpolated message passed to <see cref="If(bool, EdgeErrorCode, ref FailMessage)"/> is formatted only
/// when the check fails, so a passing check costs one branch.
/// </summary>
public static class Fail
{
    /// <summary>Throws an <see cref="EdgeException"/> with <paramref name="code"/>.</summary>
    [DoesNotReturn]
    public static void With(EdgeErrorCode code, string message) => throw new EdgeException(code, message);

    /// <summary>Throws an <see cref="EdgeException"/> with <paramref name="code"/>; typed for use in expressions.</summary>
    [DoesNotReturn]
    public static T With<T>(EdgeErrorCode code, string message) => throw new EdgeException(code, message);

    /// <summary>Throws when <paramref name="condition"/> holds; the message is built only then.</summary>
    public static void If([DoesNotReturnIf(true)] bool condition, EdgeErrorCode code,
        [System.Runtime.CompilerServices.InterpolatedStringHandlerArgument(nameof(condition))] ref FailMessage message)
    {
        if (condition) throw new EdgeException(code, message.ToStringAndClear());
    }

    /// <summary>Throws when <paramref name="condition"/> holds (a constant message).</summary>
    public static void If([DoesNotReturnIf(true)] bool condition, EdgeErrorCode code, string message)
    {
        if (condition) throw new EdgeException(code, message);
    }

    /// <summary>Shape as users read it: [3, 64].</summary>
    public static string Shape(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    /// <summary>Shape as users read it: [3, 64].</summary>
    public static string Shape(ReadOnlySpan<long> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";
}
