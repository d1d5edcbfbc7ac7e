using System.Runtime.CompilerServices;

namespace Edge;

/// <summary>
/// The message of a <see cref="Fail.If(bool, EdgeErrorCode, ref FailMessage)"/> check: an interpolated string
/// that the compiler fills only when the condition is true (the ImageSharp Guard and Debug.Assert pattern).
/// </summary>
[InterpolatedStringHandler]
public ref struct FailMessage
{
    private DefaultInterpolatedStringHandler _inner;

    /// <summary>Called by the compiler; <paramref name="shouldAppend"/> is false when the check passes.</summary>
    public FailMessage(int literalLength, int formattedCount, bool condition, out bool shouldAppend)
    {
        _inner = condition ? new DefaultInterpolatedStringHandler(literalLength, formattedCount, System.Globalization.CultureInfo.InvariantCulture) : default;
        shouldAppend = condition;
    }

    /// <summary>Appends literal text.</summary>
    public void AppendLiteral(string value) => _inner.AppendLiteral(value);

    /// <summary>Appends a value.</summary>
    public void AppendFormatted<T>(T value) => _inner.AppendFormatted(value);

    /// <summary>Appends a value with a format.</summary>
    public void AppendFormatted<T>(T value, string? format) => _inner.AppendFormatted(value, format);

    /// <summary>Appends a value with an alignment.</summary>
    public void AppendFormatted<T>(T value, int alignment) => _inner.AppendFormatted(value, alignment);

    /// <summary>Appends a value with an alignment and a format.</summary>
    public void AppendFormatted<T>(T value, int alignment, string? format) => _inner.AppendFormatted(value, alignment, format);

    /// <summary>Appends a span of characters.</summary>
    public void AppendFormatted(ReadOnlySpan<char> value) => _inner.AppendFormatted(value);

    /// <summary>Appends a string.</summary>
    public void AppendFormatted(string? value) => _inner.AppendFormatted(value);

    /// <summary>The message, once the check has failed.</summary>
    public string ToStringAndClear() => _inner.ToStringAndClear();
}
