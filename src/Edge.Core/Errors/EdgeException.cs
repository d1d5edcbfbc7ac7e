namespace Edge;

/// <summary>
/// The one exception type the Edge libraries throw for problems a user can fix: a bad file, a wrong
/// shape, an unavailable backend. <see cref="Code"/> says which; the message names the input, what was
/// wrong and what to do.
/// </summary>
public sealed class EdgeException : Exception
{
    /// <summary>Creates an exception with a code and a message that names the input and what to do.</summary>
    public EdgeException(EdgeErrorCode code, string message, Exception? inner = null)
        : base(message, inner) => Code = code;

    /// <summary>What went wrong, as a stable code.</summary>
    public EdgeErrorCode Code { get; }
}
