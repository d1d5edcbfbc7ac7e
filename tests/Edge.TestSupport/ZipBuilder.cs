using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Edge.TestSupport;

/// <summary>
/// Writes zip files byte by byte, so a test can make the ones no archiver would: entries whose declared
/// sizes lie, and a zip bomb (deflate data that really inflates to gigabytes, made in milliseconds by
/// repeating one sync-flushed block of zeros).
/// </summary>
public sealed class ZipBuilder
{
    private readonly List<(string Name, byte[] Deflated, uint Crc, long Size)> _entries = [];

    /// <summary>Adds a file compressed with deflate, declaring its real size plus <paramref name="sizeError"/>.</summary>
    public ZipBuilder Add(string name, byte[] content, long sizeError = 0)
    {
        _entries.Add((name, Deflate(content), Crc32(content), content.Length + sizeError));
        return this;
    }

    /// <summary>
    /// Adds an entry whose deflate data inflates to <paramref name="mebibytes"/> MiB of zeros, declaring
    /// <paramref name="declared"/> bytes (null: the truth). Its CRC is not computed: nothing should read it to the end.
    /// </summary>
    public ZipBuilder AddBomb(string name, int mebibytes, long? declared = null)
    {
        var zeros = new MemoryStream();
        byte[] block;
        using (var d = new DeflateStream(zeros, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            d.Write(new byte[1 << 20]);
            d.Flush();   // sync flush: the block ends byte-aligned and not final, so copies of it can follow
            block = zeros.ToArray();
        }
        var all = new byte[block.Length * mebibytes + 2];
        for (int i = 0; i < mebibytes; i++) block.CopyTo(all, i * block.Length);
        all[^2] = 0x03;   // a final, empty fixed-Huffman block ends the stream
        all[^1] = 0x00;
        _entries.Add((name, all, 0, declared ?? (long)mebibytes << 20));
        return this;
    }

    /// <summary>Writes the zip.</summary>
    public void Write(string path)
    {
        using var f = File.Create(path);
        var central = new MemoryStream();
        foreach (var (name, data, crc, size) in _entries)
        {
            long offset = f.Position;
            byte[] n = Encoding.UTF8.GetBytes(name);
            f.Write(Header(0x04034b50, n, crc, data.Length, size, null));
            f.Write(n);
            f.Write(data);
            central.Write(Header(0x02014b50, n, crc, data.Length, size, (uint)offset));
            central.Write(n);
        }
        long cdStart = f.Position;
        central.Position = 0;
        central.CopyTo(f);
        var end = new byte[22];
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(8), (ushort)_entries.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(10), (ushort)_entries.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(12), (uint)central.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(16), (uint)cdStart);
        f.Write(end);
    }

    // A local (0x04034b50) or central (0x02014b50) header for a deflated entry, without its name.
    private static byte[] Header(uint signature, byte[] name, uint crc, long compressed, long size, uint? localOffset)
    {
        bool central = localOffset is not null;
        var h = new byte[central ? 46 : 30];
        var s = h.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(s, signature);
        int at = 4;
        if (central) { BinaryPrimitives.WriteUInt16LittleEndian(s[at..], 20); at += 2; }   // made by
        BinaryPrimitives.WriteUInt16LittleEndian(s[at..], 20);             // needed to extract
        BinaryPrimitives.WriteUInt16LittleEndian(s[(at + 4)..], 8);        // deflate
        BinaryPrimitives.WriteUInt16LittleEndian(s[(at + 8)..], 0x21);     // 1980-01-01
        BinaryPrimitives.WriteUInt32LittleEndian(s[(at + 10)..], crc);
        BinaryPrimitives.WriteUInt32LittleEndian(s[(at + 14)..], (uint)compressed);
        BinaryPrimitives.WriteUInt32LittleEndian(s[(at + 18)..], (uint)size);
        BinaryPrimitives.WriteUInt16LittleEndian(s[(at + 22)..], (ushort)name.Length);
        if (central) BinaryPrimitives.WriteUInt32LittleEndian(s[42..], localOffset!.Value);
        return h;
    }

    private static byte[] Deflate(byte[] content)
    {
        var ms = new MemoryStream();
        using (var d = new DeflateStream(ms, CompressionLevel.Optimal, leaveOpen: true)) d.Write(content);
        return ms.ToArray();
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320 & (0u - (crc & 1)));
        }
        return ~crc;
    }
}
