using System.Text.Json;
using Edge.Formats;

namespace Edge.Speech.Codecs;

/// <summary>
/// A codec.json read key by key. Every key read is recorded so that <see cref="EnsureNoUnknownKeys"/> refuses a
/// misspelt one; every failure is an <see cref="EdgeErrorCode.InvalidPackage"/> naming the file and the key.
/// </summary>
internal sealed class CodecJson
{
    private readonly JsonElement _root;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private CodecJson(JsonElement root, string where)
    {
        _root = root;
        Where = where;
    }

    /// <summary>The file's name in messages.</summary>
    public string Where { get; }

    /// <summary>The <c>kind</c> string.</summary>
    public string Kind => String("kind");

    /// <summary>Reads and parses <c>codec.json</c> of <paramref name="folder"/>.</summary>
    public static CodecJson Read(CodecFolder folder)
    {
        string where = folder.Display("codec.json");
        byte[] bytes = folder.ReadAllBytes("codec.json", CodecFolder.MaxJsonBytes);
        using var doc = UntrustedJson.Parse(bytes, new JsonDocumentOptions { MaxDepth = 8, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true },
            EdgeErrorCode.InvalidPackage, where);
        Fail.If(doc.RootElement.ValueKind != JsonValueKind.Object, EdgeErrorCode.InvalidPackage, $"{where}: must be a JSON object.");
        return new CodecJson(doc.RootElement.Clone(), where);
    }

    /// <summary>A required integer in [min, max].</summary>
    public int Int(string key, int min, int max)
    {
        var v = Required(key);
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int i))
            return Fail.With<int>(EdgeErrorCode.InvalidPackage, $"{Where}: '{key}' must be an integer, found {MessageText.Value(v.GetRawText())}.");
        Fail.If(i < min || i > max, EdgeErrorCode.InvalidPackage, $"{Where}: '{key}' is {i}; it must be between {min} and {max}.");
        return i;
    }

    /// <summary>An optional integer in [min, max].</summary>
    public int Int(string key, int fallback, int min, int max) => Has(key) ? Int(key, min, max) : fallback;

    /// <summary>A required finite number in [min, max].</summary>
    public double Number(string key, double min, double max)
    {
        var v = Required(key);
        if (v.ValueKind != JsonValueKind.Number || !double.IsFinite(v.GetDouble()))
            return Fail.With<double>(EdgeErrorCode.InvalidPackage, $"{Where}: '{key}' must be a finite number, found {MessageText.Value(v.GetRawText())}.");
        double d = v.GetDouble();
        Fail.If(d < min || d > max, EdgeErrorCode.InvalidPackage, $"{Where}: '{key}' is {d}; it must be between {min} and {max}.");
        return d;
    }

    /// <summary>A required string.</summary>
    public string String(string key)
    {
        var v = Required(key);
        return v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : Fail.With<string>(EdgeErrorCode.InvalidPackage, $"{Where}: '{key}' must be a string, found {MessageText.Value(v.GetRawText())}.");
    }

    /// <summary>An optional string.</summary>
    public string String(string key, string fallback) => Has(key) ? String(key) : fallback;

    /// <summary>A file name inside the codec folder (no folders, no '..').</summary>
    public string FileName(string key, string fallback)
    {
        string name = String(key, fallback);
        Fail.If(name.Length == 0 || name.Contains('/') || name.Contains('\\') || name.Contains(':') || name == "." || name == "..", EdgeErrorCode.InvalidPackage,
            $"{Where}: '{key}' is '{MessageText.Value(name)}'; it must name a file in the codec folder itself.");
        return name;
    }

    /// <summary>Refuses any key no read asked for.</summary>
    public void EnsureNoUnknownKeys()
    {
        foreach (var p in _root.EnumerateObject())
        {
            if (!_read.Contains(p.Name))
                Fail.With(EdgeErrorCode.InvalidPackage,
                    $"{Where}: unknown key '{MessageText.Value(p.Name)}'. Known keys: {string.Join(", ", _read.Order())}. Remove it or fix its spelling.");
        }
    }

    /// <summary>True when the key is present (and marks it as known).</summary>
    public bool Has(string key)
    {
        _read.Add(key);
        return _root.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null;
    }

    private JsonElement Required(string key)
    {
        _read.Add(key);
        if (!_root.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null)
            return Fail.With<JsonElement>(EdgeErrorCode.InvalidPackage, $"{Where}: required key '{key}' is missing.");
        return v;
    }
}
