using Edge.Backends;
using Edge.Streams;
using Edge.Cli.Arguments;
using Edge.Onnx.Providers;
using Edge.Onnx;
using Edge.Packages;

namespace Edge.Cli.Commands;

/// <summary>Turns <c>--backend</c>, <c>--ep</c>, <c>--profile</c>, <c>--precision</c> and <c>--threads</c> into a backend and load options.</summary>
internal static class BackendChoice
{
    public static readonly string[] Names = ["cpu", "onnx"];

    /// <summary>The options every command that loads a model accepts.</summary>
    public static readonly string[] Options = ["--backend", "--ep", "--profile", "--precision", "--threads"];

    /// <summary>
    /// Load options for <paramref name="backend"/>. Every backend's own families are named, so a package of a
    /// family only the ONNX backend runs, loaded on the CPU, says so instead of "family not known".
    /// </summary>
    public static EdgeModelOptions LoadOptions(IBackend backend, WeightPrecision? precision = null, int? threads = null) =>
        new() { Backend = backend, Families = OnnxOnlyFamilies, Precision = precision, Threads = threads };

    /// <summary>Load options for <paramref name="backend"/> with <c>--precision</c> (absent: the weights as the package stores them) and <c>--threads</c>.</summary>
    public static EdgeModelOptions LoadOptions(IBackend backend, ParsedArguments a) => LoadOptions(backend, Precision(a), Threads(a));

    /// <summary><c>--threads N</c> (1 … 256), or null when absent (the model decides: one thread unless its step is large).</summary>
    public static int? Threads(ParsedArguments a) =>
        a.Value("--threads") is null ? null : (int)a.Long("--threads", 1, 1, Edge.Kernels.KernelThreads.MaxThreads);

    /// <summary><c>--precision fp32|fp16|int8|q4</c>, or null when absent.</summary>
    public static WeightPrecision? Precision(ParsedArguments a)
    {
        if (a.Value("--precision") is null) return null;
        return WeightPrecisions.TryParse(a.Choice("--precision", "fp32", [.. WeightPrecisions.Names]), out var p) ? p : null;
    }

    private static readonly IReadOnlyList<Edge.Families.IModelFamily> OnnxOnlyFamilies = new OnnxBackend().Families;

    public static IBackend From(ParsedArguments a, TextWriter stderr)
    {
        string backend = a.Choice("--backend", "cpu", Names);
        Threads(a);   // a bad count is refused before any file is read
        if (backend == "cpu")
        {
            if (a.Value("--ep") is not null) throw new UsageException("--ep chooses an ONNX Runtime execution provider; use it with --backend onnx.");
            if (a.Value("--profile") is not null) throw new UsageException("--profile configures the ONNX backend; use it with --backend onnx.");
            return CpuBackend.Instance;
        }
        if (a.Value("--precision") is not null)
            throw new UsageException("--precision sets how the CPU backend keeps weights; the onnx backend runs step.onnx's own. Drop it, or use --backend cpu.");
        if (a.Value("--threads") is not null)
            throw new UsageException("--threads splits the CPU backend's products; the onnx backend takes its threads from --profile. Drop it, or use --backend cpu.");
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
