using System.Text;
using System.Text.Json;
using Edge.Formats;
using Edge.Packages;

namespace Edge.Onnx.Providers;

/// <summary>
/// How to run on one kind of device (device-profiles/*.json): the ONNX Runtime execution providers to try
/// in order, whether falling back to the next one is allowed, and the thread settings. Unknown keys are
/// an error, as in model.json.
/// </summary>
/// <param name="Name">The profile's name, for messages ("jetson-orin-cuda").</param>
/// <param name="ExecutionProviders">Execution providers to try, in order: "cpu", "cuda", "dml".</param>
/// <param name="AllowFallback">When an execution provider cannot be created, try the next one (and say so) instead of failing.</param>
/// <param name="IntraOpThreads">Threads one step may use; 0 lets ONNX Runtime choose (one per core).</param>
/// <param name="AllowSpinning">Let idle ONNX Runtime threads spin: less latency per step, a busy core and more jitter for everything else.</param>
/// <param name="DeviceId">The GPU's index for cuda and dml.</param>
public sealed record DeviceProfile(string Name, IReadOnlyList<string> ExecutionProviders, bool AllowFallback, int IntraOpThreads, bool AllowSpinning, int DeviceId)
{
    /// <summary>The execution provider names a profile may list.</summary>
    public static IReadOnlyList<string> KnownProviders { get; } = ["cpu", "cuda", "dml"];

    /// <summary>What runs without a profile: the CPU execution provider, one thread, no spinning, no fallback.</summary>
    public static DeviceProfile Default { get; } = new("default", ["cpu"], false, 1, false, 0);

    /// <summary>The most intra-op threads a profile may ask for; the backend also caps them at 4 per core of the machine it runs on.</summary>
    public const int MaxIntraOpThreads = 256;

    /// <summary>Reads and validates a profile file.</summary>
    public static DeviceProfile Load(string path)
    {
        Fail.If(!File.Exists(path), EdgeErrorCode.FileNotFound, $"{path}: no such device profile. Profiles live in device-profiles/*.json.");
        Fail.If(new FileInfo(path).Length > 1 << 16, EdgeErrorCode.InvalidConfig, $"{path}: a device profile is a small JSON file; this one is over 64 KiB.");
        return Parse(File.ReadAllText(path), path, Path.GetFileNameWithoutExtension(path));
    }

    /// <summary>Parses a profile from JSON text; <paramref name="where"/> names it in messages.</summary>
    public static DeviceProfile Parse(string json, string where, string fallbackName = "profile")
    {
        JsonElement root;
        var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 8 };
        using (var doc = UntrustedJson.Parse(Encoding.UTF8.GetBytes(json), options, EdgeErrorCode.InvalidConfig, where))
            root = doc.RootElement.Clone();
        var c = new ModelConfig(root, where);
        c.Has("$schema");
        c.Has("description");
        string name = c.StringOr("name", fallbackName);
        var providers = ReadProviders(c.Element("execution_providers"), where);
        bool fallback = c.Bool("allow_fallback", false);
        int threads = c.Int("intra_op_threads", 1, 0, MaxIntraOpThreads);
        bool spinning = c.Bool("allow_spinning", false);
        int device = c.Int("device_id", 0, 0, 64);
        c.EnsureNoUnknownKeys();
        return new DeviceProfile(name, providers, fallback, threads, spinning, device);
    }

    private static string[] ReadProviders(JsonElement v, string where)
    {
        Fail.If(v.ValueKind != JsonValueKind.Array || v.GetArrayLength() == 0, EdgeErrorCode.InvalidConfig,
            $"{where}: 'execution_providers' must be a non-empty array of {string.Join(", ", KnownProviders)}, in the order to try them.");
        var list = new List<string>();
        foreach (var e in v.EnumerateArray())
        {
            string? s = e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            Fail.If(s is null || !KnownProviders.Contains(s), EdgeErrorCode.InvalidConfig,
                $"{where}: execution provider {MessageText.Value(e.GetRawText())} is not one of {string.Join(", ", KnownProviders)}.");
            Fail.If(list.Contains(s), EdgeErrorCode.InvalidConfig, $"{where}: execution provider '{s}' is listed twice.");
            list.Add(s);
        }
        return list.ToArray();
    }
}
