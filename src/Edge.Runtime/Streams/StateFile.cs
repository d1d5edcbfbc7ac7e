using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Edge.Formats.Safetensors;

namespace Edge.Streams;

/// <summary>
/// State files: safetensors with one float32 tensor per state entry and metadata naming the format
/// version, the family, the model's sha256, the step count and a sha256 checksum of the tensor bytes.
/// Written atomically; validated completely before any of it is used.
/// </summary>
public static class StateFile
{
    /// <summary>The metadata "format" value.</summary>
    public const string Format = "edge-state";

    /// <summary>The state-file format version this runtime writes and reads.</summary>
    public const int Version = 1;

    /// <summary>Writes a state atomically.</summary>
    public static void Save(string path, StateLayout layout, string family, string modelSha256, long steps, ReadOnlySpan<float> values)
    {
        if (values.Length != layout.TotalLength) throw new ArgumentException("state length differs from the layout.", nameof(values));
        var copy = values.ToArray();
        var entries = layout.Entries.Select(e => new SafetensorsWriter.Entry(e.Name, e.Shape, copy.AsMemory(e.Offset, e.Length))).ToList();
        var meta = new Dictionary<string, string>
        {
            ["format"] = Format,
            ["format_version"] = Version.ToString(CultureInfo.InvariantCulture),
            ["family"] = family,
            ["model_sha256"] = modelSha256,
            ["steps"] = steps.ToString(CultureInfo.InvariantCulture),
            ["checksum"] = "sha256:" + Checksum(copy),
        };
        SafetensorsWriter.Write(path, entries, meta);
    }

    /// <summary>
    /// Reads and validates a state file for the given model: size, format, family, model hash, every
    /// tensor's shape and the checksum. Returns the values and step count; throws before returning anything partial.
    /// </summary>
    public static (float[] Values, long Steps) Load(string path, StateLayout layout, string family, string modelSha256)
    {
        Fail.If(string.IsNullOrEmpty(path), EdgeErrorCode.InvalidArgument, "the state file's path is empty; name a file.");
        long limit = layout.Bytes + (1 << 20);
        var info = new FileInfo(path);
        Fail.If(!info.Exists, EdgeErrorCode.FileNotFound, $"{path}: no such state file.");
        using var file = OpenOrWrap(path, limit);
        var meta = file.Metadata;
        string Meta(string key) => meta.TryGetValue(key, out var v) ? v
            : Fail.With<string>(EdgeErrorCode.InvalidState, $"{path}: not an Edge state file (metadata '{key}' is missing). Save states with --state-out or ModelStream.SaveState.");
        Fail.If(Meta("format") != Format, EdgeErrorCode.InvalidState, $"{path}: metadata format is '{Meta("format")}', not '{Format}'.");
        Fail.If(Meta("format_version") != Version.ToString(CultureInfo.InvariantCulture), EdgeErrorCode.InvalidState,
            $"{path}: state format version {Meta("format_version")}; this runtime reads version {Version}.");
        Fail.If(Meta("family") != family || Meta("model_sha256") != modelSha256, EdgeErrorCode.StateModelMismatch,
            $"{path}: state was saved by {Meta("family")} model {Short(Meta("model_sha256"))}, not by this {family} model {Short(modelSha256)}. Load it with the model that saved it.");
        Fail.If(!long.TryParse(Meta("steps"), NumberStyles.None, CultureInfo.InvariantCulture, out long steps), EdgeErrorCode.InvalidState,
            $"{path}: metadata steps '{Meta("steps")}' is not a non-negative integer.");
        Fail.If(file.Tensors.Count != layout.Entries.Count, EdgeErrorCode.InvalidState,
            $"{path}: holds {file.Tensors.Count} tensors, the model's state has {layout.Entries.Count}.");
        var values = new float[layout.TotalLength];
        foreach (var e in layout.Entries)
        {
            if (!file.TryGet(e.Name, out var t))
                Fail.With(EdgeErrorCode.InvalidState, $"{path}: state tensor '{e.Name}' is missing.");
            Fail.If(t.DType != TensorDType.F32 || !t.Shape.AsSpan().SequenceEqual(e.Shape), EdgeErrorCode.InvalidState,
                $"{path}: state tensor '{e.Name}' is {t.DType} {t.ShapeText}, expected F32 {Fail.Shape(e.Shape)}.");
            file.ReadFloat32(t, values.AsSpan(e.Offset, e.Length));
        }
        string expected = Meta("checksum");
        string actual = "sha256:" + Checksum(values);
        Fail.If(expected != actual, EdgeErrorCode.InvalidState, $"{path}: checksum does not match its contents. The file is corrupt; use another copy.");
        return (values, steps);
    }

    private static SafetensorsFile OpenOrWrap(string path, long limit)
    {
        try
        {
            return SafetensorsFile.Open(path, limit);
        }
        catch (EdgeException e) when (e.Code == EdgeErrorCode.InvalidSafetensors)
        {
            throw new EdgeException(EdgeErrorCode.InvalidState, $"{e.Message.TrimEnd('.')} (state file). Use another copy or start from a fresh stream.", e);
        }
    }

    private static string Checksum(ReadOnlySpan<float> values) => Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(values)));

    private static string Short(string sha) => sha.Length > 12 ? sha[..12] : sha;
}
