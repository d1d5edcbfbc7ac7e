using Edge.Backends;
using Edge.Streams;
using Edge.Cli.Arguments;
using Edge.Onnx.Providers;
using Edge.Onnx;

namespace Edge.Cli.Commands;

/// <summary>Turns <c>--backend</c>, <c>--ep</c> and <c>--profile</c> into a backend.</summary>
internal static class BackendChoice
{
    public static readonly string[] Names = ["cpu", "onnx"];

    /// <summary>The options every command that loads a model accepts.</summary>
    public static readonly string[] Options = ["--backend", "--ep", "--profile"];

    /// <summary>
    /// Load options for <paramref name="backend"/>. Every backend's own families are named, so a package of a
    /// family only the ONNX backend runs, loaded on the CPU, says so instead of "family not known".
    /// </summary>
    public static EdgeModelOptions LoadOptions(IBackend backend) => new() { Backend = backend, Families = OnnxOnlyFamilies };

    private static readonly IReadOnlyList<Edge.Families.IModelFamily> OnnxOnlyFamilies = new OnnxBackend().Families;

    public static IBackend From(ParsedArguments a, TextWriter stderr)
    {
        string backend = a.Choice("--backend", "cpu", Names);
        if (backend == "cpu")
        {
            if (a.Value("--ep") is not null) throw new UsageException("--ep chooses an ONNX Runtime execution provider; use it with --backend onnx.");
            if (a.Value("--profile") is not null) throw new UsageException("--profile configures the ONNX backend; use it with --backend onnx.");
            return CpuBackend.Instance;
        }
        return Onnx(a, stderr);
    }

    /// <summary>The ONNX backend from <c>--ep</c> and <c>--profile</c>; fallbacks are announced on <paramref name="stderr"/>.</summary>
    public static OnnxBackend Onnx(ParsedArguments a, TextWriter stderr)
    {
        ExecutionProvider? ep = a.Value("--ep") is null ? null
            : ExecutionProviders.Parse(a.Choice("--ep", "cpu", DeviceProfile.KnownProviders.ToArray()), "--ep");
        Action<string> announce = line => stderr.WriteLine($"edge: {line}");
        if (a.Value("--profile") is { } path)
            return new OnnxBackend(OnnxBackendOptions.FromProfile(DeviceProfile.Load(path), ep, announce));
        var chosen = ep ?? ExecutionProvider.Cpu;
        return new OnnxBackend(new OnnxBackendOptions { Providers = [chosen], Source = $"--ep {chosen.ShortName()}", Announce = announce });
    }
}
