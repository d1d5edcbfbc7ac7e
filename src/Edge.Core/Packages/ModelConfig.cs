using System.Text.Json;

namespace Edge.Packages;

/// <summary>
/// The <c>config</c> object of model.json, read key by key by a family. Every key read is recorded, so
/// <see cref="EnsureNoUnknownKeys"/> can refuse keys the family does not know instead of ignoring them.
/// </summary>
public sealed class ModelConfig
{
    private readonly JsonElement _config;
    private readonly string _where;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    /// <summary>Wraps a config object; <paramref name="where"/> names it in messages (e.g. "model.json config").</summary>
    public ModelConfig(JsonElement config, string where)
    {
        Fail.If(config.ValueKind != JsonValueKind.Object, EdgeErrorCode.InvalidConfig, $"{where}: config must be a JSON object.");
        _config = config;
        _where = where;
    }

    /// <summary>True when the key is present (and marks it as known).</summary>
    public bool Has(string key)
    {
        _read.Add(key);
        return _config.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null;
    }

    /// <summary>A required integer in [min, max].</summary>
    public int Int(string key, int min = int.MinValue, int max = int.MaxValue)
    {
        var v = Required(key);
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int i))
            return Fail.With<int>(EdgeErrorCode.InvalidConfig, $"{_where}: '{key}' must be an integer, found {MessageText.Value(v.GetRawText())}.");
        Fail.If(i < min || i > max, EdgeErrorCode.InvalidConfig, $"{_where}: '{key}' is {i}; it must be between {min} and {max}.");
        return i;
    }

    /// <summary>An optional integer in [min, max], <paramref name="fallback"/> when absent.</summary>
    public int Int(string key, int fallback, int min, int max) => Has(key) ? Int(key, min, max) : fallback;

    /// <summary>A required boolean.</summary>
    public bool Bool(string key)
    {
        var v = Required(key);
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => Fail.With<bool>(EdgeErrorCode.InvalidConfig, $"{_where}: '{key}' must be true or false, found {MessageText.Value(v.GetRawText())}."),
        };
    }

    /// <summary>An optional boolean.</summary>
    public bool Bool(string key, bool fallback) => Has(key) ? Bool(key) : fallback;

    /// <summary>A required finite number.</summary>
    public float Float(string key)
    {
        var v = Required(key);
        if (v.ValueKind != JsonValueKind.Number || !double.IsFinite(v.GetDouble()))
            return Fail.With<float>(EdgeErrorCode.InvalidConfig, $"{_where}: '{key}' must be a finite number, found {MessageText.Value(v.GetRawText())}.");
        return (float)v.GetDouble();
    }

    /// <summary>An optional finite number.</summary>
    public float Float(string key, float fallback) => Has(key) ? Float(key) : fallback;

    /// <summary>A required string, one of <paramref name="allowed"/> when given.</summary>
    public string String(string key, params string[] allowed)
    {
        var v = Required(key);
        if (v.ValueKind != JsonValueKind.String)
            return Fail.With<string>(EdgeErrorCode.InvalidConfig, $"{_where}: '{key}' must be a string, found {MessageText.Value(v.GetRawText())}.");
        string s = v.GetString()!;
        Fail.If(allowed.Length > 0 && !allowed.Contains(s), EdgeErrorCode.InvalidConfig,
            $"{_where}: '{key}' is '{MessageText.Value(s)}'; it must be one of {string.Join(", ", allowed)}.");
        return s;
    }

    /// <summary>An optional string, one of <paramref name="allowed"/> when given.</summary>
    public string StringOr(string key, string fallback, params string[] allowed) => Has(key) ? String(key, allowed) : fallback;

    /// <summary>A required array of exactly <paramref name="length"/> finite numbers.</summary>
    public float[] FloatArray(string key, int length)
    {
        var v = Required(key);
        Fail.If(v.ValueKind != JsonValueKind.Array, EdgeErrorCode.InvalidConfig, $"{_where}: '{key}' must be an array of {length} numbers.");
        Fail.If(v.GetArrayLength() != length, EdgeErrorCode.InvalidConfig,
            $"{_where}: '{key}' has {v.GetArrayLength()} values but the model needs {length}.");
        var result = new float[length];
        int i = 0;
        foreach (var e in v.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Number || !double.IsFinite(e.GetDouble()))
                Fail.With(EdgeErrorCode.InvalidConfig, $"{_where}: '{key}'[{i}] must be a finite number, found {MessageText.Value(e.GetRawText())}.");
            result[i++] = (float)e.GetDouble();
        }
        return result;
    }

    /// <summary>An optional array of <paramref name="length"/> numbers, filled with <paramref name="fill"/> when absent.</summary>
    public float[] FloatArray(string key, int length, float fill)
        => Has(key) ? FloatArray(key, length) : Enumerable.Repeat(fill, length).ToArray();

    /// <summary>A raw JSON value for family-specific structures (e.g. a list of state pairs).</summary>
    public JsonElement Element(string key) => Required(key);

    /// <summary>Refuses any key no read has asked for, naming it and the known keys.</summary>
    public void EnsureNoUnknownKeys()
    {
        foreach (var p in _config.EnumerateObject())
        {
            if (!_read.Contains(p.Name))
                Fail.With(EdgeErrorCode.InvalidConfig,
                    $"{_where}: unknown key '{MessageText.Value(p.Name)}'. Known keys: {string.Join(", ", _read.Order())}. Remove it or fix its spelling.");
        }
    }

    private JsonElement Required(string key)
    {
        _read.Add(key);
        if (!_config.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null)
            return Fail.With<JsonElement>(EdgeErrorCode.InvalidConfig, $"{_where}: required key '{key}' is missing.");
        return v;
    }
}
