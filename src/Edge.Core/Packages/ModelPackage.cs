using System.Security.Cryptography;
using System.Text.Json;
using Edge.Families;
using Edge.Formats;
using Edge.Formats.Safetensors;

namespace Edge.Packages;

/// <summary>
/// A model package: a folder (or a zip of one) with model.json, weights.safetensors and optional files
/// (step.onnx, tokenizer.json, codec/, voices/); a package whose ONNX graph carries its weights may have no
/// weights file. Opening it validates model.json's top level and the
/// sha256 of every file it lists; the family validates its own config when the model is built.
/// </summary>
public sealed class ModelPackage
{
    /// <summary>Largest model.json accepted.</summary>
    public const long MaxModelJsonBytes = 1 << 20;

    /// <summary>The top-level model.json keys every package may have; a family adds its own (<see cref="IModelFamily.ManifestKeys"/>).</summary>
    public static IReadOnlyList<string> CommonKeys { get; } =
        ["format", "version", "family", "config", "weights", "onnx", "provenance", "sha256", "precision", "name", "description"];

    private JsonElement _root;

    private readonly string? _folder;
    private readonly PackageZip? _zipFiles;

    private ModelPackage(string path, string? folder, PackageZip? zipFiles)
    {
        Path = path;
        _folder = folder;
        _zipFiles = zipFiles;
    }

    /// <summary>The path the package was opened from.</summary>
    public string Path { get; }

    /// <summary>The family named in model.json; <see cref="IModelFamily"/> looks it up.</summary>
    public string Family { get; private set; } = "";

    /// <summary>The raw config object; families read it through <see cref="CreateConfigReader"/>.</summary>
    public JsonElement Config { get; private set; }

    /// <summary>The weights file's name inside the package.</summary>
    public string WeightsFile { get; private set; } = "weights.safetensors";

    /// <summary>
    /// False for a package without a weights file: model.json names none and there is no weights.safetensors
    /// (a graph that carries its own weights, family onnx-stateful). Its identity then covers the ONNX graph.
    /// </summary>
    public bool HasWeights { get; private set; } = true;

    /// <summary>The ONNX step graph's name inside the package, when there is one.</summary>
    public string? OnnxFile { get; private set; }

    /// <summary>Declared precision of the weights file (fp32 when absent): fp32, fp16, bf16, int8 or q4.</summary>
    public string Precision { get; private set; } = "fp32";

    /// <summary>
    /// How the CPU backend keeps the weights when <c>EdgeModelOptions.Precision</c> is unset: as the package
    /// stores them (bf16, which has no kept form, as fp32).
    /// </summary>
    public WeightPrecision StoredPrecision => WeightPrecisions.TryParse(Precision, out var p) ? p : WeightPrecision.Fp32;

    /// <summary>The provenance object as written (data, licence, script, metrics).</summary>
    public JsonElement? Provenance { get; private set; }

    /// <summary>
    /// The model's identity: SHA-256 over model.json's bytes and the SHA-256 of the weights file. State
    /// files and voices are bound to it.
    /// </summary>
    public string Sha256 { get; private set; } = "";

    /// <summary>Opens a package folder or zip and validates its model.json and checksums.</summary>
    public static ModelPackage Open(string path)
    {
        ModelPackage package;
        if (Directory.Exists(path))
        {
            package = new ModelPackage(path, System.IO.Path.GetFullPath(path), null);
        }
        else if (File.Exists(path))
        {
            package = new ModelPackage(path, null, PackageZip.Open(path));
        }
        else
        {
            throw new EdgeException(EdgeErrorCode.FileNotFound, $"{path}: no such model package. Give a folder holding model.json, or a zip of one.");
        }
        package.ReadModelJson();
        return package;
    }

    /// <summary>A reader for the config that records which keys the family used.</summary>
    public ModelConfig CreateConfigReader() => new(Config, $"{Path}/model.json config");

    /// <summary>
    /// Refuses any top-level model.json key that is neither common nor one of <paramref name="familyKeys"/>,
    /// so a misspelt key is an error rather than a silently ignored setting.
    /// </summary>
    public void RequireKnownKeys(IReadOnlyCollection<string> familyKeys)
    {
        foreach (var p in _root.EnumerateObject())
        {
            if (CommonKeys.Contains(p.Name) || familyKeys.Contains(p.Name)) continue;
            Fail.With(EdgeErrorCode.InvalidPackage,
                $"{Path}/model.json: unknown key '{MessageText.Value(p.Name)}'. Known keys for family {Family}: {string.Join(", ", CommonKeys.Concat(familyKeys))}.");
        }
    }

    /// <summary>A top-level object a family declares (e.g. a forecasting block), or null when model.json has none.</summary>
    public JsonElement? GetSection(string key)
    {
        if (!_root.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        Fail.If(v.ValueKind != JsonValueKind.Object, EdgeErrorCode.InvalidPackage, $"{Path}/model.json: '{key}' must be an object.");
        return v;
    }

    /// <summary>A top-level key naming a file or folder of the package (e.g. a tokenizer), checked to be a relative path; null when absent.</summary>
    public string? GetFileName(string key)
    {
        string? name = OptionalString(_root, key, $"{Path}/model.json");
        if (name is not null) Normalize(name);
        return name;
    }

    /// <summary>True when the package holds the file (path relative to the package root, '/' separated).</summary>
    public bool HasFile(string relative)
    {
        string rel = Normalize(relative);
        return _zipFiles is not null ? _zipFiles.Contains(rel) : File.Exists(System.IO.Path.Combine(_folder!, rel));
    }

    /// <summary>Opens a file of the package for reading (a seekable stream the caller disposes).</summary>
    public Stream OpenFile(string relative)
    {
        string rel = Normalize(relative);
        if (_zipFiles is not null)
        {
            return _zipFiles.Contains(rel)
                ? new MemoryStream(_zipFiles.ReadAll(rel, PackageZip.MaxEntryBytes), writable: false)
                : Fail.With<Stream>(EdgeErrorCode.InvalidPackage, $"{Path}: file '{MessageText.Value(rel)}' named by model.json is not in the package.");
        }
        string full = System.IO.Path.Combine(_folder!, rel);
        Fail.If(!File.Exists(full), EdgeErrorCode.InvalidPackage, $"{Path}: file '{MessageText.Value(rel)}' named by model.json is not in the package.");
        return new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess);
    }

    /// <summary>Reads a whole file of the package.</summary>
    public byte[] ReadAllBytes(string relative)
    {
        if (_zipFiles is not null && _zipFiles.Contains(Normalize(relative))) return _zipFiles.ReadAll(Normalize(relative), PackageZip.MaxEntryBytes);
        using var s = OpenFile(relative);
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    /// <summary>The files under a folder of the package (relative paths), e.g. voices/.</summary>
    public IReadOnlyList<string> ListFiles(string folder)
    {
        string prefix = Normalize(folder).TrimEnd('/') + "/";
        if (_zipFiles is not null) return _zipFiles.Names.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order().ToList();
        string full = System.IO.Path.Combine(_folder!, prefix);
        return Directory.Exists(full)
            ? Directory.GetFiles(full, "*", SearchOption.AllDirectories).Select(f => System.IO.Path.GetRelativePath(_folder!, f).Replace('\\', '/')).Order().ToList()
            : [];
    }

    /// <summary>A path on disk for a file, for components that need one (ONNX Runtime sessions); null for zips.</summary>
    public string? TryGetFilePath(string relative) => _folder is null ? null : System.IO.Path.Combine(_folder, Normalize(relative));

    /// <summary>Opens the weights file as validated tensors.</summary>
    public ModelWeights OpenWeights()
    {
        Fail.If(!HasWeights, EdgeErrorCode.InvalidPackage,
            $"{Path}: the package has no weights file (model.json names none and there is no {WeightsFile}); family {Family} reads its weights from one.");
        return new(SafetensorsFile.Open(OpenFile(WeightsFile), $"{Path}/{WeightsFile}"));
    }

    private void ReadModelJson()
    {
        Fail.If(!HasFile("model.json"), EdgeErrorCode.InvalidPackage, $"{Path}: no model.json. A package is a folder with model.json and weights.safetensors.");
        byte[] json;
        if (_zipFiles is not null)
        {
            json = _zipFiles.ReadAll("model.json", MaxModelJsonBytes);   // checks the declared size before inflating
        }
        else
        {
            using var s = OpenFile("model.json");
            Fail.If(s.Length > MaxModelJsonBytes, EdgeErrorCode.InvalidPackage, $"{Path}/model.json: {s.Length} bytes is over the {MaxModelJsonBytes}-byte limit.");
            json = new byte[s.Length];
            s.ReadExactly(json);
        }
        var doc = UntrustedJson.Parse(json, new JsonDocumentOptions { MaxDepth = 32, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true },
            EdgeErrorCode.InvalidPackage, $"{Path}/model.json");
        var root = doc.RootElement.Clone();
        doc.Dispose();
        string where = $"{Path}/model.json";
        Fail.If(root.ValueKind != JsonValueKind.Object, EdgeErrorCode.InvalidPackage, $"{where}: must be a JSON object.");
        _root = root;
        Fail.If(StringOf(root, "format", where) != "edge-model", EdgeErrorCode.InvalidPackage, $"{where}: 'format' must be \"edge-model\".");
        Fail.If(!root.TryGetProperty("version", out var ver) || ver.ValueKind != JsonValueKind.Number || !ver.TryGetInt32(out int version) || version != 1,
            EdgeErrorCode.InvalidPackage, $"{where}: 'version' must be 1; this runtime reads package format version 1.");
        Family = StringOf(root, "family", where);
        Fail.If(!root.TryGetProperty("config", out var cfg) || cfg.ValueKind != JsonValueKind.Object, EdgeErrorCode.InvalidConfig, $"{where}: 'config' object is missing.");
        Config = cfg;
        string? weights = OptionalString(root, "weights", where);
        WeightsFile = weights ?? "weights.safetensors";
        OnnxFile = OptionalString(root, "onnx", where);
        // No "weights" key and no weights.safetensors: a graph with its own weights. A named file must exist.
        HasWeights = weights is not null || HasFile(WeightsFile) || OnnxFile is null;
        Precision = OptionalString(root, "precision", where) ?? "fp32";
        Fail.If(Precision is not ("fp32" or "fp16" or "bf16" or "int8" or "q4"), EdgeErrorCode.InvalidPackage, $"{where}: 'precision' must be fp32, fp16, bf16, int8 or q4.");
        if (root.TryGetProperty("provenance", out var prov)) Provenance = prov;
        foreach (string f in new[] { WeightsFile, OnnxFile }.OfType<string>()) Normalize(f);

        var declared = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("sha256", out var sums))
        {
            Fail.If(sums.ValueKind != JsonValueKind.Object, EdgeErrorCode.InvalidPackage, $"{where}: 'sha256' must map file names to hex digests.");
            foreach (var p in sums.EnumerateObject())
            {
                Fail.If(p.Value.ValueKind != JsonValueKind.String || p.Value.GetString()!.Length != 64, EdgeErrorCode.InvalidPackage,
                    $"{where}: sha256 of '{MessageText.Value(p.Name)}' must be 64 hex digits.");
                declared[Normalize(p.Name)] = p.Value.GetString()!.ToLowerInvariant();
            }
        }
        foreach (var (file, expected) in declared)
        {
            string actual = HashFile(file);
            Fail.If(actual != expected, EdgeErrorCode.ChecksumMismatch,
                $"{Path}/{file}: sha256 is {actual} but model.json records {expected}. The file is corrupt or was replaced; re-export the package.");
        }
        string weighed = HasWeights ? WeightsFile : OnnxFile!;   // what carries the weights is what the identity covers
        string weightsHash = declared.TryGetValue(Normalize(weighed), out var w) ? w : HashFile(weighed);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(json);
        sha.AppendData(System.Text.Encoding.ASCII.GetBytes(weightsHash));
        Sha256 = Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private string HashFile(string relative)
    {
        Fail.If(!HasFile(relative), EdgeErrorCode.InvalidPackage, $"{Path}: file '{MessageText.Value(relative)}' named by model.json is not in the package.");
        if (_zipFiles is not null) return _zipFiles.Sha256(Normalize(relative));
        using var s = OpenFile(relative);
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }

    private static string StringOf(JsonElement root, string key, string where)
    {
        if (!root.TryGetProperty(key, out var v) || v.ValueKind != JsonValueKind.String)
            return Fail.With<string>(EdgeErrorCode.InvalidPackage, $"{where}: '{key}' (a string) is missing.");
        return v.GetString()!;
    }

    private static string? OptionalString(JsonElement root, string key, string where)
    {
        if (!root.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        Fail.If(v.ValueKind != JsonValueKind.String, EdgeErrorCode.InvalidPackage, $"{where}: '{key}' must be a string.");
        return v.GetString();
    }

    private string Normalize(string relative)
    {
        string rel = relative.Replace('\\', '/');
        Fail.If(rel.Length == 0 || rel.StartsWith('/') || rel.Contains(':') || rel.Split('/').Contains(".."), EdgeErrorCode.InvalidPackage,
            $"{Path}: file name '{MessageText.Value(relative)}' must be a relative path inside the package.");
        return rel;
    }
}
