using System.Diagnostics.CodeAnalysis;

namespace Edge.Sensors;

/// <summary>Throw helper so that validation reads as one line at the call site, with the message built only on failure.</summary>
internal static class Fail
{
    [DoesNotReturn]
    public static void With(EdgeErrorCode code, string message) => throw new EdgeException(code, message);
}
