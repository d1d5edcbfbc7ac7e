namespace Edge.Cli.Arguments;

/// <summary>
/// A mistake in the command line itself; printed as one line with what to do. When <paramref name="listOptions"/> (a
/// mistake in how the line is written: an unknown option, a missing or bad value, a missing argument) the line ends with
/// the command's options; a path that does not exist or cannot be written says only that.
/// </summary>
internal sealed class UsageException(string message, bool listOptions = true) : Exception(message)
{
    /// <summary>The line should list the command's options.</summary>
    public bool ListOptions { get; } = listOptions;
}
