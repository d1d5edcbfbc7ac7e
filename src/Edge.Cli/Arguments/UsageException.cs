namespace Edge.Cli.Arguments;

/// <summary>A mistake in the command line itself; printed as one line with what to do.</summary>
internal sealed class UsageException(string message) : Exception(message);
