using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Edge.Formats.Safetensors;

/// <summary>
/// Reads a safetensors file (an 8-byte little-endian header length, a JSON header, raw tensor bytes)
/// after validating everything the header claims: its size, dtypes, shapes against byte lengths,
/// offsets inside the file and no two tensors sharing bytes. The file is untrusted input.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    /// <summary>The largest JSON header accepted (the format's own reference limit is 100 MB).</summary>
    public const long MaxHeaderBytes = 100L * 1024 * 1024;

    /// <summary>The most tensors one file may hold; a model of ours has hundreds, a header of millions of empty ones is an attack on the parser.</summary>
    public const int MaxTensors = 1 << 16;

    private readonly Stream _stream;
    private readonly long _dataStart;
    private readonly Dictionary<string, TensorInfo> _byName;

    private SafetensorsFile(Stream stream, string displayName, long dataStart, List<TensorInfo> tensors, Dictionary<string, string> metadata)
    {
        _stream = stream;
        DisplayName = displayName;
        _dataStart = dataStart;
        Tensors = tensors;
        _byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        Metadata = metadata;
    }

    /// <summary>The file's name for error messages.</summary>
    public string DisplayName { get; }

    /// <summary>Tensors in header order.</summary>
    public IReadOnlyList<TensorInfo> Tensors { get; }

    /// <summary>The header's <c>__metadata__</c> map (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Opens and validates a file on disk.</summary>
    /// <param name="path">The file.</param>
    /// <param name="maxFileBytes">Files larger than this are refused before anything is read.</param>
    public static SafetensorsFile Open(string path, long maxFileBytes = long.MaxValue)
    {
        Fail.If(string.IsNullOrEmpty(path), EdgeErrorCode.InvalidArgument, "the safetensors file's path is empty; name a file.");
        FileStream fs;
        try
        {
            fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EdgeException(EdgeErrorCode.FileNotFound, $"{path}: cannot open ({e.Message}). Check the path.");
        }
        try
        {
            return Open(fs, path, maxFileBytes);
        }
        catch
        {
            fs.Dispose();
            throw;
        }
    }

    /// <summary>Validates a seekable stream holding a safetensors file; the returned object owns the stream.</summary>
    /// <param name="stream">A readable, seekable stream positioned anywhere.</param>
    /// <param name="displayName">Name used in error messages.</param>
    /// <param name="maxFileBytes">Streams longer than this are refused.</param>
    public static SafetensorsFile Open(Stream stream, string displayName, long maxFileBytes = long.MaxValue)
    {
        if (!stream.CanSeek || !stream.CanRead)
            throw new ArgumentException("The stream must be readable and seekable.", nameof(stream));
        long length = stream.Length;
        Fail.If(length > maxFileBytes, EdgeErrorCode.InvalidSafetensors,
            $"{displayName}: {length} bytes is over the limit of {maxFileBytes} bytes for this file. Check that it is the right file.");
        Fail.If(length < 8, EdgeErrorCode.InvalidSafetensors,
            $"{displayName}: {length} bytes is too short for a safetensors file (needs an 8-byte header length). The file is truncated or not safetensors.");
        Span<byte> lenBytes = stackalloc byte[8];
        stream.Position = 0;
        stream.ReadExactly(lenBytes);
        ulong headerLen = BinaryPrimitives.ReadUInt64LittleEndian(lenBytes);
        Fail.If(headerLen > MaxHeaderBytes, EdgeErrorCode.InvalidSafetensors,
            $"{displayName}: header claims {headerLen} bytes, over the {MaxHeaderBytes}-byte limit. The file is corrupt or not safetensors.");
        Fail.If((long)headerLen > length - 8, EdgeErrorCode.InvalidSafetensors,
            $"{displayName}: header claims {headerLen} bytes but the file has only {length - 8} after the length field. The file is truncated.");
        var header = new byte[headerLen];
        stream.ReadExactly(header);
        long dataStart = 8 + (long)headerLen;
        long dataLength = length - dataStart;

        var tensors = new List<TensorInfo>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        using (var doc = UntrustedJson.Parse(header, new JsonDocumentOptions { MaxDepth = 8 }, EdgeErrorCode.InvalidSafetensors, $"{displayName} (safetensors header)"))
        {
            Fail.If(doc.RootElement.ValueKind != JsonValueKind.Object, EdgeErrorCode.InvalidSafetensors,
                $"{displayName}: the header must be a JSON object. The file is corrupt or not safetensors.");
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (prop.Name == "__metadata__")
                {
                    Fail.If(prop.Value.ValueKind != JsonValueKind.Object, EdgeErrorCode.InvalidSafetensors,
                        $"{displayName}: __metadata__ must be an object of strings.");
                    foreach (var m in prop.Value.EnumerateObject())
                    {
                        Fail.If(m.Value.ValueKind != JsonValueKind.String, EdgeErrorCode.InvalidSafetensors,
                            $"{displayName}: __metadata__ value '{MessageText.Value(m.Name)}' must be a string.");
                        metadata[m.Name] = m.Value.GetString()!;
                    }
                    continue;
                }
                if (tensors.Count == MaxTensors)
                    Fail.With(EdgeErrorCode.InvalidSafetensors, $"{displayName}: the header lists more than {MaxTensors} tensors. The file is corrupt or not a model's weights.");
                var entry = ParseEntry(displayName, prop, dataLength);
                if (!names.Add(entry.Name))
                    Fail.With(EdgeErrorCode.InvalidSafetensors, $"{displayName}: tensor '{MessageText.Value(entry.Name)}' appears twice in the header. The file is corrupt.");
                tensors.Add(entry);
            }
        }
        CheckNoOverlap(displayName, tensors);
        return new SafetensorsFile(stream, displayName, dataStart, tensors, metadata);
    }

    // Messages are built only when a check fails: a header may list tens of thousands of tensors.
    private static TensorInfo ParseEntry(string file, JsonProperty prop, long dataLength)
    {
        string raw = prop.Name;
        string Name() => MessageText.Value(raw);   // for messages; the entry keeps the full name
        var e = prop.Value;
        if (e.ValueKind != JsonValueKind.Object)
            Fail.With(EdgeErrorCode.InvalidSafetensors, $"{file}: tensor '{Name()}': entry must be an object.");
        if (!e.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String)
            Fail.With(EdgeErrorCode.InvalidSafetensors, $"{file}: tensor '{Name()}': missing dtype.");
        if (!TensorDTypes.TryParse(dt.GetString()!, out var dtype))
            Fail.With(EdgeErrorCode.InvalidSafetensors, $"{file}: tensor '{Name()}': dtype '{MessageText.Value(dt.GetString())}' is not supported (use F32, F16, BF16, F64, I64, I32, I8 or U8).");
        if (!e.TryGetProperty("shape", out var sh) || sh.ValueKind != JsonValueKind.Array)
            Fail.With(EdgeErrorCode.InvalidSafetensors, $"{file}: tensor '{Name()}': missing shape.");
        if (sh.GetArrayLength() > 8)
            Fail.With(EdgeErrorCode.InvalidSafetensors, $"{file}: tensor '{Name()}': more than 8 dimensions.");
        var shape = new int[sh.GetArrayLength()];
        long count = 1;
        int i = 0;
        foreach (var d in sh.EnumerateArray())
        {
            long v = -1;
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out v) || v < 0 || v > int.MaxValue)
                throw new EdgeException(EdgeErrorCode.InvalidSafetensors, $"{file}: tensor '{Name()}': shape entry {MessageText.Value(d.GetRawText())} is not a non-negative integer.");
            shape[i++] = (int)v;
            count = v == 0 ? 0 : (count > long.MaxValue / v ? long.MaxValue : count * v);
        }
        if (!e.TryGetProperty("data_offsets", out var off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2)
            Fail.With(EdgeErrorCode.InvalidSafetensors, $"{file}: tensor '{Name()}': data_offsets must be [begin, end].");
        long begin = -1, end = -1;
        if (off[0].ValueKind != JsonValueKind.Number || off[1].ValueKind != JsonValueKind.Number
            || !off[0].TryGetInt64(out begin) || !off[1].TryGetInt64(out end) || begin < 0 || end < begin)
            Fail.With(EdgeErrorCode.InvalidSafetensors, $"{file}: tensor '{Name()}': data_offsets {MessageText.Value(off.GetRawText())} are not 0 ≤ begin ≤ end.");
        if (end > dataLength)
            Fail.With(EdgeErrorCode.InvalidSafetensors,
                $"{file}: tensor '{Name()}' ends at byte {end} of the data but the data has only {dataLength} bytes. The file is truncated.");
        long size = TensorDTypes.Size(dtype);
        if (count > long.MaxValue / size || count * size != end - begin)
            Fail.With(EdgeErrorCode.InvalidSafetensors,
                $"{file}: tensor '{Name()}': shape {Fail.Shape(shape)} of {dtype} needs {(count > long.MaxValue / size ? "too many" : (count * size).ToString())} bytes but data_offsets span {end - begin}.");
        return new TensorInfo(raw, dtype, shape, begin, end);
    }

    private static void CheckNoOverlap(string file, List<TensorInfo> tensors)
    {
        var sorted = tensors.Where(t => t.End > t.Begin).OrderBy(t => t.Begin).ToList();
        for (int i = 1; i < sorted.Count; i++)
        {
            Fail.If(sorted[i].Begin < sorted[i - 1].End, EdgeErrorCode.InvalidSafetensors,
                $"{file}: tensors '{MessageText.Value(sorted[i - 1].Name)}' and '{MessageText.Value(sorted[i].Name)}' share bytes. The file is corrupt.");
        }
    }

    /// <summary>Finds a tensor by name.</summary>
    public bool TryGet(string name, out TensorInfo info) => _byName.TryGetValue(name, out info!);

    /// <summary>Reads a float tensor (F32, F16, BF16 or F64) as float32.</summary>
    public float[] ReadFloat32(TensorInfo info)
    {
        Fail.If(info.ElementCount > Array.MaxLength, EdgeErrorCode.InvalidSafetensors, $"{DisplayName}: tensor '{MessageText.Value(info.Name)}' is too large to load.");
        var result = new float[info.ElementCount];
        ReadFloat32(info, result);
        return result;
    }

    /// <summary>Reads a float tensor (F32, F16, BF16 or F64) as float32 into <paramref name="destination"/>.</summary>
    public void ReadFloat32(TensorInfo info, Span<float> destination)
    {
        if (destination.Length != info.ElementCount)
            throw new ArgumentException($"destination has {destination.Length} elements, tensor '{MessageText.Value(info.Name)}' has {info.ElementCount}.", nameof(destination));
        switch (info.DType)
        {
            case TensorDType.F32:
                ReadRaw(info, MemoryMarshal.AsBytes(destination));
                if (!BitConverter.IsLittleEndian) ReverseEndianness32(destination);
                break;
            case TensorDType.F16:
            {
                var tmp = new Half[destination.Length];
                ReadRaw(info, MemoryMarshal.AsBytes(tmp.AsSpan()));
                TensorPrimitives.ConvertToSingle(tmp, destination);
                break;
            }
            case TensorDType.BF16:
            {
                var tmp = new ushort[destination.Length];
                ReadRaw(info, MemoryMarshal.AsBytes(tmp.AsSpan()));
                for (int i = 0; i < tmp.Length; i++) destination[i] = BitConverter.Int32BitsToSingle(tmp[i] << 16);
                break;
            }
            case TensorDType.F64:
            {
                var tmp = new double[destination.Length];
                ReadRaw(info, MemoryMarshal.AsBytes(tmp.AsSpan()));
                for (int i = 0; i < tmp.Length; i++) destination[i] = (float)tmp[i];
                break;
            }
            default:
                Fail.With(EdgeErrorCode.InvalidSafetensors, $"{DisplayName}: tensor '{MessageText.Value(info.Name)}' is {info.DType}, expected a float type (F32, F16, BF16).");
                break;
        }
    }

    /// <summary>Reads an integer tensor (I64, I32, I8, U8) as int64.</summary>
    public long[] ReadInt64(TensorInfo info)
    {
        var result = new long[info.ElementCount];
        switch (info.DType)
        {
            case TensorDType.I64: ReadRaw(info, MemoryMarshal.AsBytes(result.AsSpan())); break;
            case TensorDType.I32:
            {
                var tmp = new int[result.Length];
                ReadRaw(info, MemoryMarshal.AsBytes(tmp.AsSpan()));
                for (int i = 0; i < tmp.Length; i++) result[i] = tmp[i];
                break;
            }
            case TensorDType.I8 or TensorDType.U8:
            {
                var tmp = new byte[result.Length];
                ReadRaw(info, tmp);
                for (int i = 0; i < tmp.Length; i++) result[i] = info.DType == TensorDType.I8 ? (sbyte)tmp[i] : tmp[i];
                break;
            }
            default:
                Fail.With(EdgeErrorCode.InvalidSafetensors, $"{DisplayName}: tensor '{MessageText.Value(info.Name)}' is {info.DType}, expected an integer type.");
                break;
        }
        return result;
    }

    /// <summary>Reads a tensor's raw little-endian bytes.</summary>
    public void ReadRaw(TensorInfo info, Span<byte> destination)
    {
        if (destination.Length != info.End - info.Begin)
            throw new ArgumentException("destination length differs from the tensor's byte length.", nameof(destination));
        _stream.Position = _dataStart + info.Begin;
        try
        {
            _stream.ReadExactly(destination);
        }
        catch (EndOfStreamException)
        {
            throw new EdgeException(EdgeErrorCode.InvalidSafetensors, $"{DisplayName}: tensor '{MessageText.Value(info.Name)}' could not be read to its end. The file is truncated.");
        }
    }

    private static void ReverseEndianness32(Span<float> values)
    {
        var ints = MemoryMarshal.Cast<float, int>(values);
        BinaryPrimitives.ReverseEndianness(ints, ints);
    }

    /// <summary>Closes the underlying stream.</summary>
    public void Dispose() => _stream.Dispose();
}
