using System.Buffers.Binary;
using System.Text;
using Edge.Formats.Safetensors;

namespace Edge.Runtime.Tests.Formats;

public class SafetensorsFileTests
{
    private static byte[] Build(string header, int dataBytes)
    {
        var h = Encoding.UTF8.GetBytes(header);
        var b = new byte[8 + h.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(b, (ulong)h.Length);
        h.CopyTo(b, 8);
        return b;
    }

    private static EdgeException Refused(byte[] bytes)
        => Assert.Throws<EdgeException>(() => SafetensorsFile.Open(new MemoryStream(bytes), "t.safetensors"));

    [Fact]
    public void Float32_tensors_round_trip_with_metadata()
    {
        var bytes = SafetensorsWriter.ToBytes([new("a", [2, 3], new float[] { 1, 2, 3, 4, 5, 6 }), new("b", [], new float[] { 7 })],
            new Dictionary<string, string> { ["k"] = "v" });
        using var f = SafetensorsFile.Open(new MemoryStream(bytes), "t");
        Assert.True(f.TryGet("a", out var a));
        Assert.Equal([2, 3], a.Shape);
        Assert.Equal([1f, 2, 3, 4, 5, 6], f.ReadFloat32(a));
        Assert.True(f.TryGet("b", out var b));
        Assert.Equal([7f], f.ReadFloat32(b));
        Assert.Equal("v", f.Metadata["k"]);
    }

    [Fact]
    public void Fp16_and_bf16_tensors_load_as_float32()
    {
        var b = Build("{\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]},\"g\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[6,10]}}", 10);
        int start = b.Length - 10;
        float[] halves = [1.5f, -2f, 65504f];
        for (int i = 0; i < 3; i++) BinaryPrimitives.WriteHalfLittleEndian(b.AsSpan(start + 2 * i), (Half)halves[i]);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(start + 6), (ushort)(BitConverter.SingleToInt32Bits(3.25f) >> 16));
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(start + 8), (ushort)(BitConverter.SingleToInt32Bits(-0.5f) >> 16));
        using var f = SafetensorsFile.Open(new MemoryStream(b), "t");
        f.TryGet("h", out var h);
        f.TryGet("g", out var g);
        Assert.Equal(halves, f.ReadFloat32(h));
        Assert.Equal([3.25f, -0.5f], f.ReadFloat32(g));
    }

    [Fact]
    public void Truncated_files_are_refused_naming_the_file()
    {
        var good = SafetensorsWriter.ToBytes([new("w", [4, 4], new float[16])], null);
        foreach (int keep in new[] { 0, 5, 8, 20, good.Length - 1 })
        {
            var e = Refused(good[..keep]);
            Assert.Equal(EdgeErrorCode.InvalidSafetensors, e.Code);
            Assert.Contains("t.safetensors", e.Message);
        }
    }

    [Fact]
    public void A_header_length_over_the_limit_is_refused_without_reading_it()
    {
        var b = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(b, ulong.MaxValue / 2);
        Assert.Contains("limit", Refused(b).Message);
    }

    [Theory]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,12]}}", 12, "needs 8 bytes")]
    [InlineData("{\"w\":{\"dtype\":\"Q4\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "not supported")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"v\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12, "share bytes")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8, "truncated")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4, "non-negative")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", 8, "begin")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4, "data_offsets")]
    [InlineData("[1,2,3]", 0, "object")]
    [InlineData("{not json", 0, "not valid JSON")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "twice")]
    public void Malformed_headers_are_refused_with_what_is_wrong(string header, int dataBytes, string expected)
    {
        var e = Refused(Build(header, dataBytes));
        Assert.Equal(EdgeErrorCode.InvalidSafetensors, e.Code);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_file_over_the_caller_limit_is_refused()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("big.safetensors");
        SafetensorsWriter.Write(path, [new("w", [1000], new float[1000])], null);
        var e = Assert.Throws<EdgeException>(() => SafetensorsFile.Open(path, maxFileBytes: 1000));
        Assert.Contains("over the limit", e.Message);
    }
}
