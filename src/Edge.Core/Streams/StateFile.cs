using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Edge.Formats.Safetensors;

namespace Edge.Streams;

/// <summary>
/// State files: safetensors with one tensor per state entry, in the entry's dtype (F32 or F64), and
/// metadata naming the format version, the family, the model's sha256, the step count and a sha256
/// checksum of the flat state bytes. Written atomically; validated completely before any of it is used.
/// Version 1 files (every entry F32) still load: an F64 entry is widened from its stored float32.
/// </summary>
public static class StateFile
{
    /// <summary>The metadata "format" value.</summary>
    public const string Format = "edge-state";

    /// <summary>The state-file format version this runtime writes (it reads this one and version 1).</summary>
    public const int Version = 2;

    /// <summary>Writes a state (the flat bytes in <paramref name="layout"/>'s order) atomically.</summary>
    public static void Save(string path, StateLayout layout, string family, string modelSha256, long steps, ReadOnlySpan<byte> state)
    {
        if (state.Length != layout.Bytes) throw new ArgumentException("state length differs from the layout.", nameof(state));
        var copy = state.ToArray();
        var entries = layout.Entries.Select(e => new SafetensorsWriter.RawEntry(e.Name, e.Shape, ToTensor(e.DType), copy.AsMemory(e.ByteOffset, e.ByteLength))).ToList();
        var meta = new Dictionary<string, string>
        {
            ["format"] = Format,
            ["format_version"] = Version.ToString(CultureInfo.InvariantCulture),
            ["family"] = family,
            ["model_sha256"] = modelSha256,
            ["steps"] = steps.ToString(CultureInfo.InvariantCulture),
            ["checksum"] = "sha256:" + Checksum(copy),
        };
        SafetensorsWriter.Write(path, SafetensorsWriter.ToRawBytes(entries, meta));
    }

    /// <summary>
    /// Reads and validates a state file for the given model: size, format, family, model hash, every
    /// tensor's shape and dtype, and the checksum. Returns the flat state bytes and step count; throws before returning anything partial.
    /// </summary>
    public static (byte[] State, long Steps) Load(string path, StateLayout layout, string family, string modelSha256)
    {
        Fail.If(string.IsNullOrEmpty(path), EdgeErrorCode.InvalidArgument, "the state file's path is empty; name a file.");
        long limit = layout.Bytes + (1 << 20);
        var info = new FileInfo(path);
        Fail.If(!info.Exists, EdgeErrorCode.FileNotFound, $"{path}: no such state file.");
        using var file = OpenOrWrap(path, limit);
        var meta = file.Metadata;
        string Meta(string key) => meta.TryGetValue(key, out var v) ? v
            : Fail.With<string>(EdgeErrorCode.InvalidState, $"{path}: not an Edge state file (metadata '{key}' is missing). Save states with ModelStream.SaveState.");
        Fail.If(Meta("format") != Format, EdgeErrorCode.InvalidState, $"{path}: metadata format is '{Meta("format")}', not '{Format}'.");
        string version = Meta("format_version");
        Fail.If(version is not ("1" or "2"), EdgeErrorCode.InvalidState,
            $"{path}: state format version {version}; this runtime reads versions 1 and 2.");
        bool legacy = version == "1";
        Fail.If(Meta("family") != family || Meta("model_sha256") != modelSha256, EdgeErrorCode.StateModelMismatch,
            $"{path}: state was saved by {Meta("family")} model {Short(Meta("model_sha256"))}, not by this {family} model {Short(modelSha256)}. Load it with the model that saved it.");
        Fail.If(!long.TryParse(Meta("steps"), NumberStyles.None, CultureInfo.InvariantCulture, out long steps), EdgeErrorCode.InvalidState,
            $"{path}: metadata steps '{Meta("steps")}' is not a non-negative integer.");
        Fail.If(file.Tensors.Count != layout.Entries.Count, EdgeErrorCode.InvalidState,
            $"{path}: holds {file.Tensors.Count} tensors, the model's state has {layout.Entries.Count}.");
        var state = new byte[layout.Bytes];
        var legacyFloats = legacy ? new float[layout.Entries.Sum(e => e.Length)] : [];
        foreach (var e in layout.Entries)
        {
            if (!file.TryGet(e.Name, out var t))
                Fail.With(EdgeErrorCode.InvalidState, $"{path}: state tensor '{e.Name}' is missing.");
            var stored = legacy ? TensorDType.F32 : ToTensor(e.DType);
            Fail.If(t.DType != stored || !t.Shape.AsSpan().SequenceEqual(e.Shape), EdgeErrorCode.InvalidState,
                $"{path}: state tensor '{e.Name}' is {t.DType} {t.ShapeText}, expected {stored} {Fail.Shape(e.Shape)}.");
            if (!legacy)
            {
                file.ReadRaw(t, e.Bytes(state.AsSpan()));
                continue;
            }
            // Version 1 wrote every entry as float32, and its checksum covers those floats in layout order.
            var floats = legacyFloats.AsSpan(LegacyOffset(layout, e), e.Length);
            file.ReadFloat32(t, floats);
            if (e.DType == StateDType.F32) floats.CopyTo(StateLayout.Floats(state.AsSpan(), e));
            else
            {
                var doubles = StateLayout.Doubles(state.AsSpan(), e);
                for (int i = 0; i < floats.Length; i++) doubles[i] = floats[i];
            }
        }
        string expected = Meta("checksum");
        string actual = "sha256:" + (legacy ? Checksum(MemoryMarshal.AsBytes(legacyFloats.AsSpan())) : Checksum(state));
        Fail.If(expected != actual, EdgeErrorCode.InvalidState, $"{path}: checksum does not match its contents. The file is corrupt; use another copy.");
        // A checksum proves the file is what was saved, not that what was saved is sound.
        if (layout.FirstInvalidValue(state) is { } bad)
            Fail.With(EdgeErrorCode.InvalidState, $"{path}: state value {bad}; a state never holds NaN or +infinity. It was saved from a stream that had gone bad; use an earlier state.");
        return (state, steps);
    }

    private static int LegacyOffset(StateLayout layout, StateEntry entry)
    {
        int at = 0;
        foreach (var e in layout.Entries)
        {
            if (ReferenceEquals(e, entry)) return at;
            at += e.Length;
        }
        throw new ArgumentException("entry is not in the layout.", nameof(entry));
    }

    private static TensorDType ToTensor(StateDType t) => t == StateDType.F64 ? TensorDType.F64 : TensorDType.F32;

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

    private static string Checksum(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string Short(string sha) => sha.Length > 12 ? sha[..12] : sha;
}
