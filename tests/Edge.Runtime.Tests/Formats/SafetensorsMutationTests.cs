using System.Buffers.Binary;
using System.Text;
using Edge.Formats.Safetensors;

namespace Edge.Runtime.Tests.Formats;

/// <summary>Safetensors headers found by a mutation run of the CLI: each is a clean InvalidSafetensors error, in time linear in the header.</summary>
public class SafetensorsMutationTests
{
    private static byte[] File(byte[] header)
    {
        var b = new byte[8 + header.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(b, (ulong)header.Length);
        header.CopyTo(b, 8);
        return b;
    }

    private static byte[] File(string header) => File(Encoding.UTF8.GetBytes(header));

    private static EdgeException Refused(byte[] bytes)
    {
        var e = Assert.Throws<EdgeException>(() => SafetensorsFile.Open(new MemoryStream(bytes), "t.safetensors"));
        Assert.Equal(EdgeErrorCode.InvalidSafetensors, e.Code);
        Assert.Contains("t.safetensors", e.Message);
        return e;
    }

    private static string Empty(string name) => $"\"{name}\":{{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}";

    [Fact]
    public void Invalid_utf8_in_a_tensor_name_is_InvalidSafetensors()
    {
        var header = Encoding.UTF8.GetBytes("{" + Empty("a__") + "}");
        header[3] = 0xFF;
        header[4] = 0xFE;
        var e = Refused(File(header));
        Assert.Contains("not valid UTF-8", e.Message);
        Assert.Contains("byte 1", e.Message);
    }

    [Fact]
    public void Invalid_utf8_in_a_metadata_value_is_InvalidSafetensors()
    {
        var header = Encoding.UTF8.GetBytes("{\"__metadata__\":{\"format\":\"edge-__\"}}");
        header[^5] = 0xC3;   // a lead byte followed by '(' instead of a continuation byte
        header[^4] = 0x28;
        var e = Refused(File(header));
        Assert.Contains("the string at byte 26 is not valid UTF-8", e.Message);
    }

    [Fact]
    public void A_lone_surrogate_escape_in_a_header_is_InvalidSafetensors()
    {
        Refused(File("{" + Empty("\\ud800") + "}"));
    }

    [Fact]
    public void Header_with_100000_zero_size_tensors_is_refused_by_the_tensor_cap()
    {
        var header = "{" + string.Join(",", Enumerable.Range(0, 100_000).Select(i => Empty($"t{i}"))) + "}";
        var e = Refused(File(header));
        Assert.Contains($"more than {SafetensorsFile.MaxTensors} tensors", e.Message);
    }

    [Fact]
    public void Header_with_60000_zero_size_tensors_opens_with_every_name_found()
    {
        // Names were checked against every earlier name (quadratic: 15 s for this header); a set makes it linear.
        var header = "{" + string.Join(",", Enumerable.Range(0, 60_000).Select(i => Empty($"t{i}"))) + "}";
        using var f = SafetensorsFile.Open(new MemoryStream(File(header)), "t.safetensors");
        Assert.Equal(60_000, f.Tensors.Count);
        Assert.True(f.TryGet("t59999", out var last));
        Assert.Equal(0, last.ElementCount);
    }

    [Fact]
    public void Duplicate_tensor_names_are_still_refused()
    {
        var e = Refused(File("{" + Empty("w") + "," + Empty("v") + "," + Empty("w") + "}"));
        Assert.Contains("'w' appears twice", e.Message);
    }

    [Fact]
    public void Tensor_name_of_binary_garbage_is_echoed_escaped_and_cut()
    {
        string name = "\\u0007\\n\\u001b[31m" + new string('z', 10_000);
        var e = Refused(File($"{{\"{name}\":{{\"dtype\":\"Q7\",\"shape\":[1],\"data_offsets\":[0,4]}}}}"));
        Assert.Contains("'\\x07\\n\\x1B[31mzzz", e.Message);
        Assert.Contains("…", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.True(e.Message.Length < 400, $"{e.Message.Length} characters");
    }
}
