using System.Text;
using Edge.Formats.Npy;

namespace Edge.Runtime.Tests.Formats;

/// <summary>.npy headers of binary garbage: the error echoes the header escaped and cut, on one line.</summary>
public class NpyMutationTests
{
    [Fact]
    public void Npy_header_of_binary_garbage_is_echoed_escaped_and_cut()
    {
        var garbage = new StringBuilder();
        for (int i = 0; i < 60_000; i++) garbage.Append((char)(i % 32)).Append('\n');
        var h = Encoding.Latin1.GetBytes("{'descr'" + garbage + "\n");
        var b = new byte[12 + h.Length];
        b[0] = 0x93;
        "NUMPY"u8.CopyTo(b.AsSpan(1));
        b[6] = 2;
        BitConverter.GetBytes((uint)h.Length).CopyTo(b, 8);
        h.CopyTo(b, 12);
        var e = Assert.Throws<EdgeException>(() => NpyFile.Parse(b, "in.npy"));
        Assert.Equal(EdgeErrorCode.InvalidInput, e.Code);
        Assert.Contains("cannot parse the .npy header '{'descr'\\x00\\n\\x01\\n", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.True(e.Message.Length < 400, $"{e.Message.Length} characters");
    }

    [Fact]
    public void Empty_npy_path_is_InvalidArgument()
    {
        var e = Assert.Throws<EdgeException>(() => NpyFile.Read(""));
        Assert.Equal(EdgeErrorCode.InvalidArgument, e.Code);
    }
}
