using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Edge.Formats.Npy;

/// <summary>
/// Reads and writes NumPy <c>.npy</c> files (format versions 1–3). Reading accepts little-endian float32,
/// float64, int32 and int64 in C order and returns float32; anything else is refused with a message.
/// </summary>
public static class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Largest file accepted by <see cref="Read"/> (2 GiB).</summary>
    public const long MaxBytes = 2L << 30;

    /// <summary>Reads a file as float32. Integer ids convert exactly up to 2^24.</summary>
    public static NpyArray Read(string path)
    {
        Fail.If(string.IsNullOrEmpty(path), EdgeErrorCode.InvalidArgument, "the .npy file's path is empty; name a file.");
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new FileNotFoundException();
            Fail.If(info.Length > MaxBytes, EdgeErrorCode.InvalidInput, $"{path}: {info.Length} bytes is over the {MaxBytes}-byte limit for .npy input.");
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EdgeException(EdgeErrorCode.FileNotFound, $"{path}: cannot read ({e.Message}). Check the path.");
        }
        return Parse(bytes, path);
    }

    /// <summary>Parses the bytes of a .npy file; <paramref name="name"/> is used in error messages.</summary>
    public static NpyArray Parse(ReadOnlySpan<byte> bytes, string name)
    {
        Fail.If(bytes.Length < 10 || !bytes[..6].SequenceEqual(Magic), EdgeErrorCode.InvalidInput,
            $"{name}: not a .npy file (no \\x93NUMPY magic). Save arrays with numpy.save.");
        int major = bytes[6];
        int headerLen, headerStart;
        if (major == 1) { headerLen = BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]); headerStart = 10; }
        else if (major is 2 or 3)
        {
            Fail.If(bytes.Length < 12, EdgeErrorCode.InvalidInput, $"{name}: truncated .npy header.");
            uint hl = BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
            Fail.If(hl > 1 << 20, EdgeErrorCode.InvalidInput, $"{name}: .npy header of {hl} bytes is too large.");
            headerLen = (int)hl; headerStart = 12;
        }
        else return Fail.With<NpyArray>(EdgeErrorCode.InvalidInput, $"{name}: .npy format version {major} is not supported (1, 2 or 3).");
        Fail.If(headerStart + headerLen > bytes.Length, EdgeErrorCode.InvalidInput, $"{name}: truncated .npy header.");
        string header = Encoding.Latin1.GetString(bytes.Slice(headerStart, headerLen));
        string? d = HeaderValue(header, "'descr'", '\'', '\'');
        string? order = HeaderValue(header, "'fortran_order'", null, null);
        string? shapeText = HeaderValue(header, "'shape'", '(', ')');
        Fail.If(d is null || order is null || shapeText is null, EdgeErrorCode.InvalidInput, $"{name}: cannot parse the .npy header '{MessageText.Value(header.Trim(), 200)}'.");
        Fail.If(order == "True", EdgeErrorCode.InvalidInput, $"{name}: array is in Fortran order; save it with numpy.ascontiguousarray first.");
        var dims = shapeText!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var shape = new int[dims.Length];
        long count = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            if (!int.TryParse(dims[i], NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]))
                Fail.With(EdgeErrorCode.InvalidInput, $"{name}: shape entry '{MessageText.Value(dims[i])}' is not a non-negative integer.");
            count *= shape[i];
            Fail.If(count > Array.MaxLength, EdgeErrorCode.InvalidInput, $"{name}: array is too large.");
        }
        int size = d switch { "<f4" => 4, "<f8" => 8, "<i4" => 4, "<i8" => 8, _ => 0 };
        Fail.If(size == 0, EdgeErrorCode.InvalidInput, $"{name}: dtype '{MessageText.Value(d)}' is not supported; use little-endian float32 ('<f4'), float64, int32 or int64.");
        var data = bytes[(headerStart + headerLen)..];
        Fail.If(data.Length != count * size, EdgeErrorCode.InvalidInput,
            $"{name}: shape {Fail.Shape(shape)} of '{d}' needs {count * size} bytes of data but the file has {data.Length}. The file is truncated or corrupt.");
        var result = new float[count];
        for (int i = 0; i < result.Length; i++)
        {
            var s = data.Slice(i * size, size);
            result[i] = d switch
            {
                "<f4" => BinaryPrimitives.ReadSingleLittleEndian(s),
                "<f8" => (float)BinaryPrimitives.ReadDoubleLittleEndian(s),
                "<i4" => BinaryPrimitives.ReadInt32LittleEndian(s),
                _ => BinaryPrimitives.ReadInt64LittleEndian(s),
            };
        }
        return new NpyArray(shape, result);
    }

    /// <summary>Serializes a float32 array as .npy version 1 bytes.</summary>
    public static byte[] ToBytes(NpyArray array)
    {
        string shape = array.Shape.Length switch
        {
            0 => "()",
            1 => $"({array.Shape[0]},)",
            _ => "(" + string.Join(", ", array.Shape) + ")",
        };
        string dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': {shape}, }}";
        int total = 10 + dict.Length + 1;
        int pad = (64 - total % 64) % 64;
        string header = dict + new string(' ', pad) + "\n";
        var result = new byte[10 + header.Length + array.Data.Length * 4];
        Magic.CopyTo(result, 0);
        result[6] = 1;
        result[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(result.AsSpan(8), (ushort)header.Length);
        Encoding.Latin1.GetBytes(header, result.AsSpan(10));
        var data = result.AsSpan(10 + header.Length);
        for (int i = 0; i < array.Data.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(data[(i * 4)..], array.Data[i]);
        return result;
    }

    /// <summary>Writes a float32 array atomically.</summary>
    public static void Write(string path, NpyArray array) => AtomicFile.Write(path, ToBytes(array));

    // The value of one key of the header's dict literal: `'key' : 'text'` (open and close quotes), `'key' : (text)`
    // (parentheses), or `'key' : True|False` (open null); whitespace around the colon as Python writes it or not.
    // A plain scan rather than regexes: a short command reads one header, and the regexes' first use took NpyFile.Read
    // of a 1,000-row file in a fresh edge process from 31 to 52 ms of CPU (docs/packaging.md). Null when no occurrence
    // of the key is followed by such a value.
    private static string? HeaderValue(string header, string key, char? open, char? close)
    {
        for (int at = header.IndexOf(key, StringComparison.Ordinal); at >= 0; at = header.IndexOf(key, at + 1, StringComparison.Ordinal))
        {
            int i = SkipSpace(header, at + key.Length);
            if (i >= header.Length || header[i] != ':') continue;
            i = SkipSpace(header, i + 1);
            if (open is null)
            {
                if (string.CompareOrdinal(header, i, "True", 0, 4) == 0) return "True";
                if (string.CompareOrdinal(header, i, "False", 0, 5) == 0) return "False";
                continue;
            }
            if (i >= header.Length || header[i] != open) continue;
            int end = header.IndexOf(close!.Value, i + 1);
            if (end >= 0) return header[(i + 1)..end];
        }
        return null;
    }

    private static int SkipSpace(string s, int i)
    {
        while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
        return i;
    }
}
