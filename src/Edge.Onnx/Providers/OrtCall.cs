using System.Text.RegularExpressions;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Onnx.Providers;

/// <summary>
/// The one place that turns ONNX Runtime's failures (its exception, a missing native library or entry point)
/// into <see cref="EdgeException"/> with a one-line message.
/// </summary>
internal static partial class OrtCall
{
    public static T Guard<T>(Func<T> call, string doing)
    {
        try
        {
            return call();
        }
        catch (Exception e) when (Convert(e, doing) is { } edge)
        {
            throw edge;
        }
    }

    public static void Guard(Action call, string doing)
    {
        try
        {
            call();
        }
        catch (Exception e) when (Convert(e, doing) is { } edge)
        {
            throw edge;
        }
    }

    /// <summary>An <see cref="EdgeException"/> for a native failure, or null when <paramref name="e"/> is not one.</summary>
    public static EdgeException? Convert(Exception e, string doing) => e switch
    {
        OnnxRuntimeException ort => new EdgeException(EdgeErrorCode.NativeError, $"ONNX Runtime failed {doing}: {FirstLine(ort.Message)}", e),
        DllNotFoundException or EntryPointNotFoundException or BadImageFormatException => new EdgeException(EdgeErrorCode.BackendUnavailable,
            $"the ONNX Runtime native library could not be loaded {doing} ({FirstLine(e.Message)}). Reinstall for this platform or use the CPU backend.", e),
        TypeInitializationException { InnerException: { } inner } => Convert(inner, doing),
        _ => null,
    };

    /// <summary>
    /// The first line of a native message without ONNX Runtime's source location and status prefix
    /// ("…/provider_bridge_ort.cc:2043 … [ONNXRuntimeError] : 1 : FAIL : "), library paths shortened to file names.
    /// </summary>
    public static string FirstLine(string message)
    {
        string line = message.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? "";
        if (StatusPrefix().Matches(line) is { Count: > 0 } prefixes)
            line = line[(prefixes[^1].Index + prefixes[^1].Length)..];
        line = LibraryPath().Replace(line, "$1");
        return line.Trim().TrimEnd('.');
    }

    [GeneratedRegex(@"(\[ErrorCode:\w+\]|\[ONNXRuntimeError\] : \d+ : \w+ :)\s*")]
    private static partial Regex StatusPrefix();

    [GeneratedRegex(@"(?:/[^\s/:]+)+/([^\s/:]+\.(?:so|dll|dylib)(?:\.\d+)*)")]
    private static partial Regex LibraryPath();
}
