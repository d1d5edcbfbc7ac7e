namespace Edge.Cli;

/// <summary>The <c>edge</c> command's entry point.</summary>
public static class Program
{
    /// <summary>Runs the command line and returns the exit code.</summary>
    public static int Main(string[] args) => EdgeCommandLine.Run(args, Console.Out, Console.Error);
}
