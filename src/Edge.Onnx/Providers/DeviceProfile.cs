using System.Text;
using System.Text.Json;
using Edge.Formats;
using Edge.Packages;

namespace Edge.Onnx.Providers;

/// <summary>
/// How to run on one kind of device (device-profiles/*.json): which backend to try first, the ONNX Runtime
/// execution providers to try in order, whether falling back to the next one is allowed, the ONNX thread settings,
/// the CPU backend's settings (<see cref="Cpu"/>) and per-family overrides (<see cref="Families"/>). Unknown keys are
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
    /// <summary>The backend names a profile may list in <see cref="Backends"/>.</summary>
    public static IReadOnlyList<string> KnownBackends { get; } = ["cpu", "onnx"];

    /// <summary>
    /// Backends to try, in order: a package whose family the first cannot run goes to the next. A profile without
    /// <c>backends</c> is an ONNX one (<c>["onnx"]</c>), as every profile was before the CPU side was added.
    /// </summary>
    public IReadOnlyList<string> Backends { get; init; } = ["onnx"];

    /// <summary>The CPU backend's settings (<c>cpu</c>).</summary>
    public CpuProfile Cpu { get; init; } = CpuProfile.Default;

    /// <summary>Per-family overrides (<c>families</c>, keyed by family name, e.g. <c>gla-tts</c>): backend, precision, threads, batch limit.</summary>
    public IReadOnlyDictionary<string, CpuProfile> Families { get; init; } = new Dictionary<string, CpuProfile>();

    /// <summary>The free-form <c>measured</c> object <c>edge profile detect</c> writes (what it measured, for people); kept verbatim, never read for settings.</summary>
    public JsonElement? Measured { get; init; }

    /// <summary>The optional <c>description</c>.</summary>
    public string? Description { get; init; }

    /// <summary>
    /// The CPU settings for a package of <paramref name="family"/>: the family's entry where it has one, each
    /// unset field taken from <see cref="Cpu"/>.
    /// </summary>
    public CpuProfile CpuFor(string? family)
    {
        if (family is null || !Families.TryGetValue(family, out var f)) return Cpu;
        return new CpuProfile(f.Backend, f.Precision ?? Cpu.Precision, f.Threads ?? Cpu.Threads, f.BatchLimit ?? Cpu.BatchLimit);
    }

    /// <summary>The backends to try for <paramref name="family"/>: its entry's backend first, then <see cref="Backends"/>.</summary>
    public IReadOnlyList<string> BackendsFor(string? family)
    {
        var first = family is not null && Families.TryGetValue(family, out var f) ? f.Backend : null;
        return first is null ? Backends : [first, .. Backends.Where(b => b != first)];
    }

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
        string? description = c.Has("description") ? c.String("description") : null;
        string name = c.StringOr("name", fallbackName);
        var providers = ReadProviders(c.Element("execution_providers"), where);
        bool fallback = c.Bool("allow_fallback", false);
        int threads = c.Int("intra_op_threads", 1, 0, MaxIntraOpThreads);
        bool spinning = c.Bool("allow_spinning", false);
        int device = c.Int("device_id", 0, 0, 64);
        var backends = c.Has("backends") ? ReadBackends(c.Element("backends"), where) : null;
        var cpu = c.Has("cpu") ? ReadCpu(c.Element("cpu"), $"{where}: cpu", family: false) : CpuProfile.Default;
        var families = new Dictionary<string, CpuProfile>(StringComparer.Ordinal);
        if (c.Has("families"))
        {
            var f = c.Element("families");
            Fail.If(f.ValueKind != JsonValueKind.Object, EdgeErrorCode.InvalidConfig,
                $"{where}: 'families' must be an object of family name to settings, e.g. {{\"gla-tts\": {{\"precision\": \"int8\"}}}}.");
            foreach (var p in f.EnumerateObject())
            {
                Fail.If(p.Name.Length is 0 or > 64, EdgeErrorCode.InvalidConfig, $"{where}: families: a family name must have 1 to 64 characters.");
                families[p.Name] = ReadCpu(p.Value, $"{where}: families.{MessageText.Value(p.Name)}", family: true);
            }
        }
        JsonElement? measured = null;
        if (c.Has("measured"))
        {
            var m = c.Element("measured");
            Fail.If(m.ValueKind != JsonValueKind.Object, EdgeErrorCode.InvalidConfig, $"{where}: 'measured' must be an object (what edge profile detect measured).");
            measured = m.Clone();
        }
        c.EnsureNoUnknownKeys();
        return new DeviceProfile(name, providers, fallback, threads, spinning, device)
        {
            Backends = backends ?? ["onnx"], Cpu = cpu, Families = families, Measured = measured, Description = description,
        };
    }

    /// <summary>The profile as a JSON file (the form <see cref="Parse"/> reads back to an equal profile).</summary>
    public string ToJson()
    {
        var o = new System.Text.Json.Nodes.JsonObject { ["name"] = Name };
        if (Description is not null) o["description"] = Description;
        o["backends"] = new System.Text.Json.Nodes.JsonArray([.. Backends.Select(b => (System.Text.Json.Nodes.JsonNode?)b)]);
        o["execution_providers"] = new System.Text.Json.Nodes.JsonArray([.. ExecutionProviders.Select(b => (System.Text.Json.Nodes.JsonNode?)b)]);
        o["allow_fallback"] = AllowFallback;
        o["intra_op_threads"] = IntraOpThreads;
        o["allow_spinning"] = AllowSpinning;
        o["device_id"] = DeviceId;
        o["cpu"] = CpuJson(Cpu);
        if (Families.Count > 0)
        {
            var f = new System.Text.Json.Nodes.JsonObject();
            foreach (var (family, settings) in Families.OrderBy(p => p.Key, StringComparer.Ordinal)) f[family] = CpuJson(settings);
            o["families"] = f;
        }
        if (Measured is { } m) o["measured"] = System.Text.Json.Nodes.JsonNode.Parse(m.GetRawText());
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>Structural equality (the lists and the family map by content; <see cref="Measured"/> by its JSON text).</summary>
    public bool Equals(DeviceProfile? other) =>
        other is not null && Name == other.Name && Description == other.Description && ExecutionProviders.SequenceEqual(other.ExecutionProviders)
        && AllowFallback == other.AllowFallback && IntraOpThreads == other.IntraOpThreads && AllowSpinning == other.AllowSpinning
        && DeviceId == other.DeviceId && Backends.SequenceEqual(other.Backends) && Cpu == other.Cpu
        && Families.Count == other.Families.Count && Families.All(p => other.Families.TryGetValue(p.Key, out var v) && v == p.Value)
        && Compact(Measured) == Compact(other.Measured);

    // The JSON text without insignificant whitespace (numbers keep their text), for comparing Measured.
    private static string? Compact(JsonElement? e)
    {
        if (e is not { } v) return null;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer)) v.WriteTo(w);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, AllowFallback, IntraOpThreads, DeviceId, Cpu, Families.Count);

    private static System.Text.Json.Nodes.JsonObject CpuJson(CpuProfile p)
    {
        var o = new System.Text.Json.Nodes.JsonObject();
        if (p.Backend is not null) o["backend"] = p.Backend;
        if (p.Precision is { } precision) o["precision"] = precision.Name();
        if (p.Threads is { } t) o["threads"] = t;
        if (p.BatchLimit is { } b) o["batch_limit"] = b;
        return o;
    }

    private static CpuProfile ReadCpu(JsonElement v, string where, bool family)
    {
        Fail.If(v.ValueKind != JsonValueKind.Object, EdgeErrorCode.InvalidConfig,
            $"{where} must be an object with any of {(family ? "backend, " : "")}precision, threads, batch_limit.");
        var c = new ModelConfig(v, where);
        string? backend = family && c.Has("backend") ? c.String("backend", [.. KnownBackends]) : null;
        WeightPrecision? precision = null;
        if (c.Has("precision") && WeightPrecisions.TryParse(c.String("precision", [.. WeightPrecisions.Names]), out var p)) precision = p;
        int? threads = c.Has("threads") ? c.Int("threads", 0, CpuProfile.MaxThreads) : family ? null : 0;
        int? batch = c.Has("batch_limit") ? c.Int("batch_limit", 1, CpuProfile.MaxBatchLimit) : null;
        c.EnsureNoUnknownKeys();
        return new CpuProfile(backend, precision, threads, batch);
    }

    private static string[] ReadBackends(JsonElement v, string where)
    {
        Fail.If(v.ValueKind != JsonValueKind.Array || v.GetArrayLength() == 0, EdgeErrorCode.InvalidConfig,
            $"{where}: 'backends' must be a non-empty array of {string.Join(", ", KnownBackends)}, in the order to try them.");
        var list = new List<string>();
        foreach (var e in v.EnumerateArray())
        {
            string? s = e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            Fail.If(s is null || !KnownBackends.Contains(s), EdgeErrorCode.InvalidConfig,
                $"{where}: backend {MessageText.Value(e.GetRawText())} is not one of {string.Join(", ", KnownBackends)}.");
            Fail.If(list.Contains(s), EdgeErrorCode.InvalidConfig, $"{where}: backend '{s}' is listed twice.");
            list.Add(s);
        }
        return list.ToArray();
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
