using Edge.Backends;
using Edge.Cli.Arguments;

namespace Edge.Cli.Commands;

/// <summary>Turns <c>--backend</c> and <c>--ep</c> into a backend.</summary>
internal static class BackendChoice
{
    public static readonly string[] Names = ["cpu", "onnx"];

    public static IBackend From(ParsedArguments a)
    {
        string backend = a.Choice("--backend", "cpu", Names);
        string? ep = a.Value("--ep");
        if (backend == "cpu")
        {
            if (ep is not null) throw new UsageException("--ep chooses an ONNX Runtime execution provider; use it with --backend onnx.");
            return CpuBackend.Instance;
        }
        throw new EdgeException(EdgeErrorCode.BackendUnavailable, "this build of edge has no ONNX backend; use --backend cpu.");
    }
}
