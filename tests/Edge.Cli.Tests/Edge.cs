namespace Edge.Cli.Tests;

/// <summary>Runs the <c>edge</c> command line in-process and captures what a user would see.</summary>
internal static class Edge
{
    public static readonly string Root = FindRoot();

    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = EdgeCommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Edge.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("the tests must run inside the repository");
    }
}
