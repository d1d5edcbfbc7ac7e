using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Edge.Formats.Safetensors;

/// <summary>Writes safetensors files (float32, or raw tensors of a named dtype) atomically: a temporary file beside the target, flushed to disk, then renamed over it.</summary>
public static class SafetensorsWriter
{
    /// <summary>One float32 tensor to write.</summary>
    /// <param name="Name">Tensor name.</param>
    /// <param name="Shape">Dimensions; their product must equal the data length.</param>
    /// <param name="Data">The values, C order.</param>
    public readonly record struct Entry(string Name, int[] Shape, ReadOnlyMemory<float> Data);

    /// <summary>One tensor given as little-endian bytes of <paramref name="DType"/>.</summary>
    /// <param name="Name">Tensor name.</param>
    /// <param name="Shape">Dimensions; their product times the element size must equal the data length.</param>
    /// <param name="DType">Element type.</param>
    /// <param name="Data">The bytes, C order.</param>
    public readonly record struct RawEntry(string Name, int[] Shape, TensorDType DType, ReadOnlyMemory<byte> Data);

    /// <summary>Builds the whole file in memory (header and data) and returns its bytes.</summary>
    public static byte[] ToBytes(IReadOnlyList<Entry> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Big-endian hosts are not supported.");
        var raw = new RawEntry[tensors.Count];
        for (int i = 0; i < raw.Length; i++)
        {
            var t = tensors[i];
            long count = 1;
            foreach (int d in t.Shape) count *= d;
            if (count != t.Data.Length)
                throw new ArgumentException($"tensor '{t.Name}': shape {Fail.Shape(t.Shape)} holds {count} values but {t.Data.Length} were given.");
            raw[i] = new RawEntry(t.Name, t.Shape, TensorDType.F32, MemoryMarshal.AsBytes(t.Data.Span).ToArray());
        }
        return ToRawBytes(raw, metadata);
    }

    /// <summary>Builds the whole file in memory from raw tensors and returns its bytes.</summary>
    public static byte[] ToRawBytes(IReadOnlyList<RawEntry> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata) json.WriteString(k, v);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var t in tensors)
            {
                long count = 1;
                foreach (int d in t.Shape) count *= d;
                long bytes = count * TensorDTypes.Size(t.DType);
                if (bytes != t.Data.Length)
                    throw new ArgumentException($"tensor '{t.Name}': shape {Fail.Shape(t.Shape)} of {t.DType} holds {bytes} bytes but {t.Data.Length} were given.");
                json.WriteStartObject(t.Name);
                json.WriteString("dtype", TensorDTypes.Name(t.DType));
                json.WriteStartArray("shape");
                foreach (int d in t.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }
            json.WriteEndObject();
        }
        while (buffer.Length % 8 != 0) buffer.WriteByte((byte)' ');
        long headerLen = buffer.Length;
        var result = new MemoryStream();
        result.Write(BitConverter.GetBytes((ulong)headerLen));
        buffer.Position = 0;
        buffer.CopyTo(result);
        foreach (var t in tensors) result.Write(t.Data.Span);
        return result.ToArray();
    }

    /// <summary>Writes the file atomically: a reader never sees a half-written file, and a crash leaves the old file intact.</summary>
    public static void Write(string path, IReadOnlyList<Entry> tensors, IReadOnlyDictionary<string, string>? metadata)
        => AtomicFile.Write(path, ToBytes(tensors, metadata));

    /// <summary>Writes bytes made by <see cref="ToRawBytes"/> atomically.</summary>
    public static void Write(string path, byte[] file) => AtomicFile.Write(path, file);
}
