using Edge.Backends;
using Edge.Streams;
using Edge.Cli.Arguments;
using Edge.Onnx.Providers;
using Edge.Onnx;
using Edge.Packages;
using Edge.Families;

namespace Edge.Cli.Commands;

/// <summary>
/// Turns <c>--backend</c>, <c>--ep</c>, <c>--profile</c>, <c>--precision</c> and <c>--threads</c> into a backend and load options.
/// A profile picks the backend when <c>--backend</c> is absent (its family entry's, else its <c>backends</c> order, skipping
/// one that cannot run the package's family) and gives the CPU backend's precision and threads; explicit flags win.
/// </summary>
internal static class BackendChoice
{
    public static readonly string[] Names = ["cpu", "onnx"];

    /// <summary>
    /// Load options for <paramref name="backend"/>. Every backend's own families are named, so a package of a
    /// family only the ONNX backend runs, loaded on the CPU, says so instead of "family not known".
    /// </summary>
    public static EdgeModelOptions LoadOptions(IBackend backend, WeightPrecision? precision = null, int? threads = null, int? batchLimit = null) =>
        new() { Backend = backend, Families = OnnxOnlyFamilies, Precision = precision, Threads = threads, BatchLimit = batchLimit };

    /// <summary>
    /// Load options for <paramref name="backend"/> with <c>--precision</c> and <c>--threads</c>; where absent, on the CPU
    /// backend, those of <c>--profile</c> for package <paramref name="pkg"/>'s family (absent there too: the weights as
    /// the package stores them, threads as the model decides); the profile's <c>batch_limit</c> caps a batched step.
    /// </summary>
    public static EdgeModelOptions LoadOptions(IBackend backend, ParsedArguments a, string? pkg = null)
    {
        var precision = Precision(a);
        var threads = Threads(a);
        int? batchLimit = null;
        if (backend is CpuBackend && Profile(a) is { } profile)
        {
            var cpu = profile.CpuFor(FamilyOf(pkg));
            precision ??= cpu.Precision;
            threads ??= cpu.Threads is > 0 and var t ? t : null;
            batchLimit = cpu.BatchLimit;
        }
        return LoadOptions(backend, precision, threads, batchLimit);
    }

    /// <summary>The device profile <c>--profile</c> names, or null.</summary>
    public static DeviceProfile? Profile(ParsedArguments a) => a.Value("--profile") is { } path ? DeviceProfile.Load(path) : null;

    /// <summary>The CPU settings <c>--profile</c> gives a package of <paramref name="family"/>, or null without a profile (for commands that load their own models).</summary>
    public static EdgeModelOptions CpuOptions(ParsedArguments a, string? family)
    {
        var precision = Precision(a);
        var threads = Threads(a);
        int? batchLimit = null;
        if (Profile(a) is { } profile)
        {
            var cpu = profile.CpuFor(family);
            precision ??= cpu.Precision;
            threads ??= cpu.Threads is > 0 and var t ? t : null;
            batchLimit = cpu.BatchLimit;
        }
        return new EdgeModelOptions { Precision = precision, Threads = threads, BatchLimit = batchLimit };
    }

    // The family a package names, or null when it cannot be read (the load that follows reports why).
    private static string? FamilyOf(string? pkg)
    {
        if (pkg is null) return null;
        try
        {
            return ModelPackage.Open(pkg).Family;
        }
        catch (EdgeException)
        {
            return null;
        }
    }

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

    /// <summary>
    /// The backend: <c>--backend</c>; without it, with <c>--profile</c>, the first of the profile's backends for package
    /// <paramref name="pkg"/>'s family that runs it; else the CPU backend.
    /// </summary>
    public static IBackend From(ParsedArguments a, TextWriter stderr, string? pkg = null)
    {
        string backend = a.Choice("--backend", "cpu", Names);
        Threads(a);   // a bad count is refused before any file is read
        Precision(a);
        if (a.Value("--backend") is null && Profile(a) is { } profile)
        {
            string? family = FamilyOf(pkg);
            var order = profile.BackendsFor(family);
            backend = order.FirstOrDefault(b => b == "onnx" || family is null || BuiltInFamilies.All.Any(f => f.Name == family)) ?? order[0];
            // Flags for the other backend than the profile picked are refused below, as with --backend.
        }
        if (backend == "cpu")
        {
            if (a.Value("--ep") is not null) throw new UsageException("--ep chooses an ONNX Runtime execution provider; use it with --backend onnx.");
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
